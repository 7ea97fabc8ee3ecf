/* kernels.c: calling Go kernels. One helper pair, ga_call_begin and
 * ga_call_end, releases the GIL around a kernel export when its operands
 * are large, lets the kernel poll for Ctrl-C (main thread only), retakes
 * the GIL and raises the kernel's error: every kernel call in C goes
 * through it. Then the one entry into the kernel registry (package
 * registry), _call(family, op, threads, *args), which converts each
 * argument by the family's declared parameter type (the table Go fills at
 * import, ga_set_family) and runs the family in Go (goaCall); and
 * _reduce_scalar, a full reduction into a numpy scalar through the same
 * entry.
 *
 * Kernels run without the GIL and never call the C API; errors come back
 * as a kind and a message (kernels.go's kernelStatus), raised here. */
#include "internal.h"

/* The thread state a kernel released, for ga_check_interrupt, which Go
 * calls with no arguments on the thread that entered Go. Per thread, not
 * module state: kernels run on several threads at once. */
static _Thread_local PyThreadState *kernel_tstate;

int ga_check_interrupt(void) {
    PyEval_RestoreThread(kernel_tstate);
    int r = PyErr_CheckSignals();
    kernel_tstate = PyEval_SaveThread();
    return r < 0;
}

void ga_call_begin(GACall *c, Py_ssize_t bytes) {
    c->kind = 0;
    c->err[0] = 0;
    c->tstate = NULL;
    c->interruptible = 0;
    if (bytes < GA_GIL_RELEASE_BYTES) return;
    c->interruptible = PyThread_get_thread_ident() == ga_state.main_thread_ident;
    c->tstate = kernel_tstate = PyEval_SaveThread();
}

int ga_call_end(GACall *c, int rc) {
    if (c->tstate) {
        /* ga_check_interrupt may have released a new thread state */
        PyEval_RestoreThread(kernel_tstate);
        kernel_tstate = NULL;
        c->tstate = NULL;
    }
    return ga_kernel_error(rc, c->kind, c->err);
}

/* Called by Go at import (goaInit): family code's parameter types. */
void ga_set_family(int family, const char *name, int nparams, const int *types) {
    if (family < 0 || family >= GA_MAX_FAMILIES || nparams < 0 || nparams > GA_MAX_PARAMS) return;
    GAFamily *f = &ga_state.families[family];
    f->name = name;
    f->nparams = nparams;
    for (int i = 0; i < nparams; i++) f->types[i] = types[i];
    if (family >= ga_state.nfamilies) ga_state.nfamilies = family + 1;
}

/* The common case of the binary family: three C-contiguous goarray arrays
 * of one dtype and shape, the output either aliasing an input exactly or
 * not overlapping it, in a dtype of the operation's loops. Go then needs
 * no layout at all. */
static int is_flat_binary(int family, long op, GAArray **arrs, int nargs) {
    if (family != GA_FAMILY_BINARY || nargs != 3 || op < 0 || op >= GA_NOPS_BINARY) return 0;
    GAArray *o = arrs[0];
    if (!o || !ga_binary_loop((int)op, o->dtype)) return 0;
    for (int i = 0; i < 3; i++) {
        GAArray *a = arrs[i];
        if (!a || !(a->bits & GA_C_CONTIG) || a->dtype != o->dtype || a->ndim != o->ndim ||
            memcmp(a->dims, o->dims, sizeof(Py_ssize_t) * (size_t)o->ndim) != 0)
            return 0;
    }
    char *d = o->data;
    for (int i = 1; i < 3; i++) {
        char *x = arrs[i]->data;
        if (x != d && x < d + o->len && d < x + o->len) return 0;
    }
    return 1;
}

/* A goarray array as a kernel operand, trusted (no format to parse). */
static void array_operand(GAArray *a, GAOperand *op) {
    op->data = a->data;
    op->len = a->len;
    op->itemsize = a->itemsize;
    op->format = ga_state.formats[a->dtype];
    op->ndim = a->ndim;
    op->shape = a->dims;
    op->strides = a->dims + a->ndim;
    op->readonly = (a->bits & GA_READONLY) != 0;
    op->dtype = a->dtype;
}

/* The arguments of one call, converted; what they hold until released. */
typedef struct {
    GAArg args[GA_MAX_PARAMS];
    Py_buffer views[GA_MAX_PARAMS];
    GAArray *pinned[GA_MAX_PARAMS], *arrs[GA_MAX_PARAMS];
    int held[GA_MAX_PARAMS];
    Py_ssize_t ints[GA_MAX_PARAMS][GA_MAX_DIMS];
    int n;
    Py_ssize_t bytes; /* the largest array's */
} CallArgs;

static void release_args(CallArgs *c) {
    for (int i = 0; i < c->n; i++) {
        if (c->held[i]) PyBuffer_Release(&c->views[i]);
        if (c->pinned[i]) c->pinned[i]->exports--;
    }
    c->n = 0;
}

/* Argument i (o) by its parameter type. goarray arrays are pinned (their
 * owner's export count raised, so resize refuses) and other buffers held
 * until release_args; an output array must be writable. */
static int convert_arg(CallArgs *c, int i, int type, PyObject *o) {
    GAArg *a = &c->args[i];
    memset(a, 0, sizeof *a);
    c->held[i] = 0;
    c->pinned[i] = c->arrs[i] = NULL;
    c->n = i + 1;
    switch (type) {
    case GA_PARAM_INT:
        a->i = PyLong_AsSsize_t(o);
        return a->i == -1 && PyErr_Occurred() ? -1 : 0;
    case GA_PARAM_INTS: {
        Py_ssize_t k = PyTuple_CheckExact(o) ? PyTuple_Size(o) : -1;
        if (k >= 0 && k <= GA_MAX_DIMS) { /* the common case: a tuple of ints */
            for (Py_ssize_t j = 0; j < k && k >= 0; j++) {
                PyObject *v = PyTuple_GetItem(o, j);
                if (!PyLong_CheckExact(v)) {
                    k = -1;
                    break;
                }
                c->ints[i][j] = PyLong_AsSsize_t(v);
                if (c->ints[i][j] == -1 && PyErr_Occurred()) return -1;
            }
            if (k >= 0) {
                a->i = k;
                a->ints = c->ints[i];
                return 0;
            }
        }
        int n = ga_parse_ints(o, c->ints[i], GA_MAX_DIMS, "kernel argument");
        if (n < 0) return -1;
        a->i = n;
        a->ints = c->ints[i];
        return 0;
    }
    case GA_PARAM_FLOAT:
        a->re = PyFloat_AsDouble(o);
        return a->re == -1.0 && PyErr_Occurred() ? -1 : 0;
    case GA_PARAM_COMPLEX:
        a->re = PyComplex_RealAsDouble(o);
        if (a->re == -1.0 && PyErr_Occurred()) return -1;
        a->im = PyComplex_ImagAsDouble(o);
        return a->im == -1.0 && PyErr_Occurred() ? -1 : 0;
    case GA_PARAM_OPT_IN_ARRAY:
        if (o == Py_None) {
            a->none = 1;
            return 0;
        }
        break;
    case GA_PARAM_IN_ARRAY:
    case GA_PARAM_OUT_ARRAY:
        break;
    default:
        PyErr_Format(PyExc_SystemError, "goarray: parameter type %d of a kernel", type);
        return -1;
    }
    int w = type == GA_PARAM_OUT_ARRAY;
    GAOperand *op = &a->op;
    if (PyObject_TypeCheck(o, ga_state.base_type)) {
        GAArray *x = (GAArray *)o;
        if (w && (x->bits & GA_READONLY)) {
            PyErr_SetString(PyExc_ValueError, "output array is read-only");
            return -1;
        }
        array_operand(x, op);
        c->arrs[i] = x;
        c->pinned[i] = ga_owner_of(x);
        c->pinned[i]->exports++;
    } else {
        Py_buffer *v = &c->views[i];
        if (PyObject_GetBuffer(o, v, w ? PyBUF_RECORDS : PyBUF_RECORDS_RO) < 0) {
            if (w && PyErr_ExceptionMatches(PyExc_BufferError)) {
                PyErr_Clear();
                PyErr_Format(PyExc_ValueError, "output operand %d is not a writable buffer", i);
            }
            return -1;
        }
        c->held[i] = 1;
        op->data = v->buf;
        op->len = v->len;
        op->itemsize = v->itemsize;
        op->format = v->format;
        op->ndim = v->ndim;
        op->shape = v->shape;
        op->strides = v->strides;
        op->readonly = v->readonly;
        op->dtype = GA_DT_INVALID; /* Go parses the format */
    }
    if (op->len > c->bytes) c->bytes = op->len;
    return 0;
}

/* Runs the converted arguments (GIL released for large operands). */
static int run_call(int family, long op, int threads, CallArgs *c) {
    GACall k;
    int rc;
    ga_call_begin(&k, c->bytes);
    if (is_flat_binary(family, op, c->arrs, c->n))
        rc = goaBinaryFlat((int)op, c->args[0].op.dtype, c->args[0].op.data, c->args[1].op.data, c->args[2].op.data,
                           c->args[0].op.len / c->args[0].op.itemsize, GA_SCALAR_NONE, threads, k.interruptible,
                           &k.kind, k.err, sizeof k.err);
    else
        rc = goaCall(family, (int)op, c->args, c->n, threads, k.interruptible, &k.kind, k.err, sizeof k.err);
    return ga_call_end(&k, rc);
}

/* _call(family, op, threads, *args): operation op of the registry's
 * kernel family (codes from goarray._registry), its arguments converted by
 * the family's parameter types: arrays (goarray arrays or any buffer
 * exporter; None for an optional one), ints, int sequences, floats,
 * complex numbers. threads 0: the default. Returns None. */
PyObject *ga_f_call(PyObject *m, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs < 3) {
        PyErr_SetString(PyExc_TypeError, "_call(family, op, threads, *args)");
        return NULL;
    }
    long family = PyLong_AsLong(args[0]), op = PyLong_AsLong(args[1]), threads = PyLong_AsLong(args[2]);
    if (PyErr_Occurred()) return NULL;
    if (family < 0 || family >= ga_state.nfamilies) {
        PyErr_Format(PyExc_ValueError, "_call: no kernel family %ld", family);
        return NULL;
    }
    GAFamily *f = &ga_state.families[family];
    if (nargs - 3 != f->nparams) {
        PyErr_Format(PyExc_TypeError, "_call: kernel family %s takes %d arguments, got %zd", f->name, f->nparams,
                     nargs - 3);
        return NULL;
    }
    if (ga_check_fork() < 0) return NULL;
    CallArgs c;
    c.n = 0;
    c.bytes = 0;
    int rc = 0;
    for (int i = 0; i < f->nparams && rc == 0; i++) rc = convert_arg(&c, i, f->types[i], args[3 + i]);
    if (rc == 0) rc = run_call((int)family, op, (int)threads, &c);
    release_args(&c);
    if (rc < 0) return NULL;
    Py_RETURN_NONE;
}

/* _reduce_scalar(op, a, acc_dtype, threads): the reduce family's operation
 * op over every axis of the goarray array a into a numpy scalar of dtype
 * acc_dtype, without allocating an output array: the fast path of
 * sum/min/max(a). Returns None when it does not apply (the caller takes
 * the general path). */
PyObject *ga_f_reduce_scalar(PyObject *m, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "_reduce_scalar(op, a, acc_dtype, threads)");
        return NULL;
    }
    long op = PyLong_AsLong(args[0]), acc = PyLong_AsLong(args[2]), threads = PyLong_AsLong(args[3]);
    if (PyErr_Occurred()) return NULL;
    if (!PyObject_TypeCheck(args[1], ga_state.base_type) || acc <= GA_DT_INVALID || acc >= GA_NDTYPES ||
        acc == GA_DT_FLOAT16)
        Py_RETURN_NONE;
    if (ga_check_fork() < 0) return NULL;
    GAArray *a = (GAArray *)args[1];
    double out[2] = {0, 0};
    if ((a->bits & GA_C_CONTIG) && (unsigned long)op < GA_NOPS_REDUCE && ga_dtype_itemsize(a->dtype) &&
        ga_state.reduce_results[op][a->dtype] == acc) {
        /* one contiguous run, numpy's accumulator: the flat path's kernel */
        GAArray *owner = ga_owner_of(a);
        owner->exports++;
        GACall call;
        ga_call_begin(&call, a->len);
        int frc = goaReduceFlat((int)op, (int)acc, a->dtype, a->data, a->len / a->itemsize, out, (int)threads,
                                call.interruptible, &call.kind, call.err, sizeof call.err);
        frc = ga_call_end(&call, frc);
        owner->exports--;
        if (frc < 0) return NULL;
        PyObject *r = ga_scalar_from((int)acc, (const char *)out, 0);
        if (!r && !PyErr_Occurred()) Py_RETURN_NONE;
        return r;
    }
    Py_ssize_t isz = ga_dtype_itemsize(acc);
    CallArgs c;
    memset(&c.args[0], 0, sizeof c.args[0]);
    c.args[0].op = (GAOperand){(char *)out, isz, isz, ga_state.formats[acc], NULL, NULL, 0, 0, (int)acc};
    c.held[0] = 0;
    c.pinned[0] = c.arrs[0] = NULL;
    c.n = 1;
    c.bytes = 0;
    int rc = convert_arg(&c, 1, GA_PARAM_IN_ARRAY, args[1]);
    if (rc == 0) {
        memset(&c.args[2], 0, sizeof c.args[2]);
        c.held[2] = 0;
        c.pinned[2] = c.arrs[2] = NULL;
        c.n = 3;
        for (int i = 0; i < a->ndim; i++) c.ints[2][i] = i;
        c.args[2].ints = c.ints[2];
        c.args[2].i = a->ndim;
        rc = run_call(GA_FAMILY_REDUCE, op, (int)threads, &c);
    }
    release_args(&c);
    if (rc < 0) return NULL;
    PyObject *r = ga_scalar_from((int)acc, (const char *)out, 0);
    if (!r && !PyErr_Occurred()) Py_RETURN_NONE;
    return r;
}

/* kernels.c: calling Go kernels. One helper pair, ga_call_begin and
 * ga_call_end, releases the GIL around a kernel export when its operands
 * are large, lets the kernel poll for Ctrl-C (main thread only), retakes
 * the GIL and raises the kernel's error: every kernel call in C goes
 * through it. Then the general entry _kernel, which hands any operands
 * (goarray arrays or buffer exporters) to a kernel by name, and
 * _reduce_scalar, a full reduction into a numpy scalar.
 *
 * Kernels run without the GIL and never call the C API; errors come back
 * as a kind and a message (kernels.go's kernelStatus), raised here. */
#include "internal.h"

#define GA_MAX_OPERANDS 8

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

/* The common case of "binary": three C-contiguous goarray arrays of one
 * dtype and shape, the output either aliasing an input exactly or not
 * overlapping it. Go then needs no layout at all. */
static int is_flat_binary(const char *name, GAArray **arrs, int nops, int nints) {
    if (nops != 3 || nints != 1 || strcmp(name, "binary") != 0) return 0;
    GAArray *o = arrs[0];
    if (!o || o->dtype == 1 || o->dtype == 10) return 0;
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

/* _kernel(name, operands, writable, ints, floats, threads)
 *
 * operands: goarray arrays or any buffer exporters; bit i of writable says
 * operand i is written. goarray arrays are pinned (their owner's export
 * count raised, so resize refuses) and foreign buffers held until the
 * kernel returns. Large kernels run without the GIL. */
PyObject *ga_f_kernel(PyObject *m, PyObject *args) {
    const char *name;
    PyObject *ops_o, *ints_o, *floats_o;
    int writable, threads;
    if (!PyArg_ParseTuple(args, "sOiOOi", &name, &ops_o, &writable, &ints_o, &floats_o, &threads)) return NULL;
    if (!PyTuple_Check(ops_o) || !PyTuple_Check(ints_o) || !PyTuple_Check(floats_o)) {
        PyErr_SetString(PyExc_TypeError, "_kernel needs tuples of operands, ints and floats");
        return NULL;
    }
    if (ga_check_fork() < 0) return NULL;
    Py_ssize_t nops = PyTuple_Size(ops_o), nints = PyTuple_Size(ints_o), nfl = PyTuple_Size(floats_o);
    if (nops > GA_MAX_OPERANDS || nints > 80 || nfl > 8) {
        PyErr_SetString(PyExc_ValueError, "_kernel: too many operands or parameters");
        return NULL;
    }
    Py_ssize_t ints[80];
    double floats[8];
    for (Py_ssize_t i = 0; i < nints; i++) {
        ints[i] = PyLong_AsSsize_t(PyTuple_GetItem(ints_o, i));
        if (ints[i] == -1 && PyErr_Occurred()) return NULL;
    }
    for (Py_ssize_t i = 0; i < nfl; i++) {
        floats[i] = PyFloat_AsDouble(PyTuple_GetItem(floats_o, i));
        if (floats[i] == -1.0 && PyErr_Occurred()) return NULL;
    }
    GAOperand ops[GA_MAX_OPERANDS];
    Py_buffer views[GA_MAX_OPERANDS];
    GAArray *pinned[GA_MAX_OPERANDS], *arrs[GA_MAX_OPERANDS];
    int held[GA_MAX_OPERANDS];
    int n = 0, ok = 1;
    Py_ssize_t bytes = 0;
    memset(held, 0, sizeof held);
    memset(pinned, 0, sizeof pinned);
    memset(arrs, 0, sizeof arrs);
    for (; n < nops; n++) {
        PyObject *o = PyTuple_GetItem(ops_o, n);
        int w = (writable >> n) & 1;
        GAOperand *op = &ops[n];
        if (PyObject_TypeCheck(o, ga_state.base_type)) {
            GAArray *a = (GAArray *)o;
            if (w && (a->bits & GA_READONLY)) {
                PyErr_Format(PyExc_ValueError, "output array is read-only");
                ok = 0;
                break;
            }
            array_operand(a, op);
            arrs[n] = a;
            pinned[n] = ga_owner_of(a);
            pinned[n]->exports++;
        } else {
            if (PyObject_GetBuffer(o, &views[n], w ? PyBUF_RECORDS : PyBUF_RECORDS_RO) < 0) {
                if (w && PyErr_ExceptionMatches(PyExc_BufferError)) {
                    PyErr_Clear();
                    PyErr_Format(PyExc_ValueError, "output operand %d is not a writable buffer", n);
                }
                ok = 0;
                break;
            }
            held[n] = 1;
            op->data = views[n].buf;
            op->len = views[n].len;
            op->itemsize = views[n].itemsize;
            op->format = views[n].format;
            op->ndim = views[n].ndim;
            op->shape = views[n].shape;
            op->strides = views[n].strides;
            op->readonly = views[n].readonly;
            op->dtype = 0;
        }
        if (op->len > bytes) bytes = op->len;
    }
    PyObject *result = NULL;
    if (ok) {
        int rc;
        GACall c;
        ga_call_begin(&c, bytes);
        if (is_flat_binary(name, arrs, (int)nops, (int)nints))
            rc = goaBinaryFlat((int)ints[0], ops[0].dtype, ops[0].data, ops[1].data, ops[2].data,
                               ops[0].len / ops[0].itemsize, 0, threads, c.interruptible, &c.kind, c.err,
                               sizeof c.err);
        else
            rc = goaKernel((char *)name, ops, (int)nops, ints, (int)nints, floats, (int)nfl, threads,
                           c.interruptible, &c.kind, c.err, sizeof c.err);
        if (ga_call_end(&c, rc) == 0) result = Py_NewRef(Py_None);
    }
    for (Py_ssize_t i = 0; i < nops; i++) {
        if (held[i]) PyBuffer_Release(&views[i]);
        if (pinned[i]) pinned[i]->exports--;
    }
    return result;
}

/* _reduce_scalar(op, a, acc_dtype, threads): a full reduction of the
 * goarray array a into a numpy scalar, without allocating an output array:
 * the fast path of sum/min/max(a). Returns None when it does not apply
 * (the caller takes the general path). */
PyObject *ga_f_reduce_scalar(PyObject *m, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "_reduce_scalar(op, a, acc_dtype, threads)");
        return NULL;
    }
    long op = PyLong_AsLong(args[0]), acc = PyLong_AsLong(args[2]), threads = PyLong_AsLong(args[3]);
    if (PyErr_Occurred()) return NULL;
    if (!PyObject_TypeCheck(args[1], ga_state.base_type) || acc < 1 || acc > 14 || acc == 10) Py_RETURN_NONE;
    if (ga_check_fork() < 0) return NULL;
    GAArray *a = (GAArray *)args[1];
    double out[2] = {0, 0};
    Py_ssize_t isz = ga_dtype_itemsize(acc);
    GAOperand ops[2] = {{(char *)out, isz, isz, ga_state.formats[acc], NULL, NULL, 0, 0, (int)acc}};
    array_operand(a, &ops[1]);
    Py_ssize_t ints[1 + GA_MAX_DIMS];
    ints[0] = op;
    for (int i = 0; i < a->ndim; i++) ints[1 + i] = i;
    GAArray *owner = ga_owner_of(a);
    owner->exports++;
    GACall c;
    ga_call_begin(&c, a->len);
    int rc = goaKernel("reduce", ops, 2, ints, 1 + a->ndim, NULL, 0, (int)threads, c.interruptible, &c.kind, c.err,
                       sizeof c.err);
    rc = ga_call_end(&c, rc);
    owner->exports--;
    if (rc < 0) return NULL;
    PyObject *r = ga_scalar_from((int)acc, (const char *)out, 0);
    if (!r && !PyErr_Occurred()) Py_RETURN_NONE;
    return r;
}

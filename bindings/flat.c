/* flat.c: the flat C path. goarray.sum, min, max, prod, all, any, mean,
 * add, subtract, multiply, divide, minimum, maximum and scale are C
 * functions whose self is the Python implementation (goarray/_reductions.py,
 * _kernels.py); the operators and __array_ufunc__ (protocols.c) start here
 * too. The commonest calls, on C-contiguous operands of one dtype and shape
 * (or one such array and a Python scalar that keeps its dtype), are
 * computed with one call into Go; every other call is handed to the Python
 * implementation unchanged. The results are the same either way: the
 * Python path runs the same kernels. */
#include "internal.h"

/* Call the Python implementation with the vectorcall arguments. */
static PyObject *call_fallback(PyObject *fallback, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    PyObject *t = PyTuple_New(nargs);
    if (!t) return NULL;
    for (Py_ssize_t i = 0; i < nargs; i++) PyTuple_SetItem(t, i, Py_NewRef(args[i]));
    PyObject *kw = NULL;
    Py_ssize_t nk = kwnames ? PyTuple_Size(kwnames) : 0;
    if (nk > 0) {
        kw = PyDict_New();
        if (!kw) {
            Py_DECREF(t);
            return NULL;
        }
        for (Py_ssize_t i = 0; i < nk; i++) {
            if (PyDict_SetItem(kw, PyTuple_GetItem(kwnames, i), args[nargs + i]) < 0) {
                Py_DECREF(t);
                Py_DECREF(kw);
                return NULL;
            }
        }
    }
    PyObject *r = PyObject_Call(fallback, t, kw);
    Py_DECREF(t);
    Py_XDECREF(kw);
    return r;
}

/* A flat-path operand: a goarray array (exactly goarray.Array) or a numpy
 * array (exactly numpy.ndarray) whose elements are one C-contiguous,
 * aligned run of a native dtype. */
typedef struct {
    char *data;
    Py_ssize_t n, len;
    int dtype, ndim;
    Py_ssize_t *shape;
    GAArray *pinned;
    Py_buffer view;
    int held;
} FlatOperand;

static int is_complex(int dt) { return dt == GA_DT_COMPLEX64 || dt == GA_DT_COMPLEX128; }

/* Returns 1 and fills *f (a numpy array's buffer is held until
 * flat_release), 0 if the operand does not qualify (no exception set), -1
 * on error. */
static int flat_operand(PyObject *o, FlatOperand *f) {
    memset(f, 0, sizeof *f);
    if (Py_TYPE(o) == ga_state.array_type) {
        GAArray *a = (GAArray *)o;
        if (!(a->bits & GA_C_CONTIG)) return 0;
        f->data = a->data;
        f->len = a->len;
        f->n = a->len / a->itemsize;
        f->dtype = a->dtype;
        f->ndim = a->ndim;
        f->shape = a->dims;
        f->pinned = ga_owner_of(a);
        f->pinned->exports++; /* pinned: a concurrent resize refuses */
        return 1;
    }
    if (!ga_state.ndarray_type || Py_TYPE(o) != ga_state.ndarray_type) return 0;
    if (PyObject_GetBuffer(o, &f->view, PyBUF_RECORDS_RO) < 0) {
        PyErr_Clear(); /* numpy refuses (datetime, object, ...): the general path says why */
        return 0;
    }
    f->held = 1;
    int dt = GA_DT_INVALID;
    for (int d = GA_DT_BOOL; d < GA_NDTYPES && f->view.format; d++)
        if (ga_state.formats[d] && strcmp(ga_state.formats[d], f->view.format) == 0) {
            dt = d;
            break;
        }
    if (!dt || f->view.itemsize != ga_dtype_itemsize(dt) || !PyBuffer_IsContiguous(&f->view, 'C') ||
        ((uintptr_t)f->view.buf % (uintptr_t)(is_complex(dt) ? f->view.itemsize / 2 : f->view.itemsize)) != 0) {
        PyBuffer_Release(&f->view);
        f->held = 0;
        return 0;
    }
    f->data = f->view.buf;
    f->len = f->view.len;
    f->n = f->view.len / f->view.itemsize;
    f->dtype = dt;
    f->ndim = f->view.ndim;
    f->shape = f->view.shape;
    return 1;
}

static void flat_release(FlatOperand *f) {
    if (f->held) PyBuffer_Release(&f->view);
    if (f->pinned) f->pinned->exports--;
    f->held = 0;
    f->pinned = NULL;
}

/* ---- reductions ------------------------------------------------------- */

/* _set_reduce_results(table): table[op][dt], for each reduce operation
 * code and then the mean, and each dtype code: numpy's result dtype code of
 * the full reduction without dtype=, or 0 where the flat path does not
 * apply (goarray._reductions fills it at import from numpy's answers and
 * the registry's dtype loops). */
PyObject *ga_f_set_reduce_results(PyObject *m, PyObject *table) {
    unsigned char t[GA_NOPS_REDUCE + 1][GA_NDTYPES];
    if (!PyTuple_Check(table) || PyTuple_Size(table) != GA_NOPS_REDUCE + 1) {
        PyErr_Format(PyExc_ValueError, "_set_reduce_results needs a tuple of %d rows", GA_NOPS_REDUCE + 1);
        return NULL;
    }
    for (int op = 0; op <= GA_NOPS_REDUCE; op++) {
        PyObject *row = PyTuple_GetItem(table, op);
        if (!PyTuple_Check(row) || PyTuple_Size(row) != GA_NDTYPES) {
            PyErr_Format(PyExc_ValueError, "_set_reduce_results needs rows of %d dtype codes", GA_NDTYPES);
            return NULL;
        }
        for (int dt = 0; dt < GA_NDTYPES; dt++) {
            long code = PyLong_AsLong(PyTuple_GetItem(row, dt));
            if (code == -1 && PyErr_Occurred()) return NULL;
            if (code < 0 || code >= GA_NDTYPES) {
                PyErr_Format(PyExc_ValueError, "_set_reduce_results: %ld is not a dtype code", code);
                return NULL;
            }
            t[op][dt] = (unsigned char)code;
        }
    }
    memcpy(ga_state.reduce_results, t, sizeof t);
    Py_RETURN_NONE;
}

/* Whether the arguments after the array leave a reduction of nparams
 * parameters (a, axis, [dtype,] out, keepdims) at its defaults: None, and
 * False for keepdims, positional, and only threads=None by keyword. The
 * methods (a.sum() is goarray.sum(a, None, None, None, False,
 * threads=None)) pass them all. Anything else takes the Python path,
 * which also raises for bad arguments. */
static int only_defaults(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, Py_ssize_t nparams) {
    if (nargs > nparams) return 0;
    for (Py_ssize_t i = 1; i < nargs; i++)
        if (args[i] != Py_None && !(i == nparams - 1 && args[i] == Py_False)) return 0;
    Py_ssize_t nk = kwnames ? PyTuple_Size(kwnames) : 0;
    for (Py_ssize_t i = 0; i < nk; i++)
        if (args[nargs + i] != Py_None || PyUnicode_CompareWithASCIIString(PyTuple_GetItem(kwnames, i), "threads"))
            return 0;
    return 1;
}

/* A full reduction (op: the reduce family's, or with mean set the mean:
 * the sum divided by the count) of one flat operand into a numpy scalar.
 * mean is the pairwise sum divided by the count in double, rounded to the
 * result dtype: numpy's result_dt.type(sum / intp(n)); an empty mean takes
 * the Python path (its warning). */
static PyObject *flat_reduce(int op, int mean, PyObject *fallback, PyObject *const *args, Py_ssize_t nargs,
                             PyObject *kwnames) {
    /* sum, prod and mean take dtype= too */
    Py_ssize_t nparams = mean || op == GA_OP_REDUCE_SUM || op == GA_OP_REDUCE_PROD ? 5 : 4;
    if (nargs < 1 || !only_defaults(args, nargs, kwnames, nparams) || ga_state.forked)
        return call_fallback(fallback, args, nargs, kwnames);
    FlatOperand f;
    int ok = flat_operand(args[0], &f);
    if (ok < 0) return NULL;
    int acc = ok && !(mean && f.n == 0) ? ga_state.reduce_results[mean ? GA_NOPS_REDUCE : op][f.dtype] : GA_DT_INVALID;
    if (acc == GA_DT_INVALID) {
        flat_release(&f);
        return call_fallback(fallback, args, nargs, kwnames);
    }
    double out[2] = {0, 0};
    GACall c;
    ga_call_begin(&c, f.len);
    int rc = goaReduceFlat(op, acc, f.dtype, f.data, f.n, out, 0, c.interruptible, &c.kind, c.err, sizeof c.err);
    rc = ga_call_end(&c, rc);
    Py_ssize_t n = f.n;
    flat_release(&f);
    if (rc < 0) return NULL;
    if (mean && acc == GA_DT_FLOAT32) {
        float s32;
        memcpy(&s32, out, sizeof s32);
        s32 = (float)((double)s32 / (double)n);
        memcpy(out, &s32, sizeof s32);
    } else if (mean) {
        out[0] /= (double)n;
    }
    PyObject *r = ga_scalar_from(acc, (const char *)out, 0);
    if (!r && !PyErr_Occurred()) return call_fallback(fallback, args, nargs, kwnames);
    return r;
}

static PyObject *fast_reduce(int op, PyObject *fallback, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    return flat_reduce(op, 0, fallback, args, nargs, kwnames);
}

static PyObject *mean_reduce(int op, PyObject *fallback, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    return flat_reduce(op, 1, fallback, args, nargs, kwnames);
}

/* ---- binary kernels --------------------------------------------------- */

/* The dtype loops of the binary operations, from the registry. */
static const unsigned int binary_loops[GA_NOPS_BINARY] = GA_DTYPES_BINARY;

int ga_binary_loop(int op, int dt) {
    return op >= 0 && op < GA_NOPS_BINARY && dt > GA_DT_INVALID && dt < GA_NDTYPES &&
           ((binary_loops[op] >> dt) & 1);
}

/* The result dtypes of the binary operations, from the registry (0: the
 * operands'; bool for the comparisons). */
static const int binary_results[GA_NOPS_BINARY] = GA_RESULTS_BINARY;

int ga_binary_result(int op, int dt) { return binary_results[op] ? binary_results[op] : dt; }

/* The bit of keeps_dtype for a Python scalar type, or 0. */
static int kind_of_type(PyObject *t) {
    if (t == (PyObject *)&PyBool_Type) return GA_SCALAR_KIND_BOOL;
    if (t == (PyObject *)&PyLong_Type) return GA_SCALAR_KIND_INT;
    if (t == (PyObject *)&PyFloat_Type) return GA_SCALAR_KIND_FLOAT;
    if (t == (PyObject *)&PyComplex_Type) return GA_SCALAR_KIND_COMPLEX;
    return 0;
}

/* _set_scalar_promotion(table): table[op][dt], for each binary operation
 * code and dtype code, is the Python scalar types (bool, int, float,
 * complex) whose promotion with dtype dt keeps it, in array op scalar and
 * scalar op array (goarray._kernels fills it at import from numpy's
 * resolver, ufunc.resolve_dtypes: NEP 50). */
PyObject *ga_f_set_scalar_promotion(PyObject *m, PyObject *table) {
    unsigned char t[GA_NOPS_BINARY][GA_NDTYPES];
    memset(t, 0, sizeof t);
    if (!PyTuple_Check(table) || PyTuple_Size(table) != GA_NOPS_BINARY) {
        PyErr_Format(PyExc_ValueError, "_set_scalar_promotion needs a tuple of %d rows", GA_NOPS_BINARY);
        return NULL;
    }
    for (int op = 0; op < GA_NOPS_BINARY; op++) {
        PyObject *row = PyTuple_GetItem(table, op);
        if (!PyTuple_Check(row) || PyTuple_Size(row) != GA_NDTYPES) {
            PyErr_Format(PyExc_ValueError, "_set_scalar_promotion needs rows of %d tuples (one per dtype code)",
                         GA_NDTYPES);
            return NULL;
        }
        for (int dt = 0; dt < GA_NDTYPES; dt++) {
            PyObject *types = PyTuple_GetItem(row, dt);
            if (!PyTuple_Check(types)) {
                PyErr_SetString(PyExc_ValueError, "_set_scalar_promotion: a dtype's entry is a tuple of types");
                return NULL;
            }
            for (Py_ssize_t i = 0; i < PyTuple_Size(types); i++) {
                int k = kind_of_type(PyTuple_GetItem(types, i));
                if (!k) {
                    PyErr_SetString(PyExc_ValueError, "_set_scalar_promotion: bool, int, float or complex");
                    return NULL;
                }
                t[op][dt] |= (unsigned char)k;
            }
        }
    }
    memcpy(ga_state.keeps_dtype, t, sizeof t);
    Py_RETURN_NONE;
}

/* The kind of Python scalar s (exactly bool, int, float or complex), or 0. */
static int scalar_kind(PyObject *s) {
    if (PyBool_Check(s)) return GA_SCALAR_KIND_BOOL;
    if (PyLong_CheckExact(s)) return GA_SCALAR_KIND_INT;
    if (PyFloat_CheckExact(s)) return GA_SCALAR_KIND_FLOAT;
    if (PyComplex_CheckExact(s)) return GA_SCALAR_KIND_COMPLEX;
    return 0;
}

/* The bytes of Python scalar s as an element of dtype dt, where numpy's
 * resolver makes dt the result dtype of dt op s (keeps_dtype) and the
 * conversion is exact numpy behaviour: 1 with *out filled, 0 where the
 * general path must decide (another result dtype, an int out of the
 * dtype's range: numpy's OverflowError; a finite float beyond float32:
 * numpy's overflow warning), -1 on error. */
static int scalar_as(int op, PyObject *s, int dt, char *out) {
    int kind = scalar_kind(s);
    if (!kind || !(ga_state.keeps_dtype[op][dt] & kind)) return 0;
    int is_int = kind == GA_SCALAR_KIND_INT || kind == GA_SCALAR_KIND_BOOL;
    if (is_int && dt >= GA_DT_BOOL && dt <= GA_DT_UINT64) {
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(s, &overflow);
        if (v == -1 && PyErr_Occurred()) return -1;
        unsigned long long u = 0;
        if (dt >= GA_DT_UINT8 && dt <= GA_DT_UINT64) {
            if (overflow > 0) {
                u = PyLong_AsUnsignedLongLong(s);
                if (u == (unsigned long long)-1 && PyErr_Occurred()) {
                    PyErr_Clear();
                    return 0;
                }
            } else if (overflow < 0 || v < 0) {
                return 0;
            } else {
                u = (unsigned long long)v;
            }
        } else if (overflow) {
            return 0;
        }
        switch (dt) {
        case GA_DT_BOOL:
            if (v != 0 && v != 1) return 0;
            *(uint8_t *)out = (uint8_t)v;
            return 1;
        case GA_DT_INT8:
            if (v < INT8_MIN || v > INT8_MAX) return 0;
            *(int8_t *)out = (int8_t)v;
            return 1;
        case GA_DT_INT16:
            if (v < INT16_MIN || v > INT16_MAX) return 0;
            *(int16_t *)out = (int16_t)v;
            return 1;
        case GA_DT_INT32:
            if (v < INT32_MIN || v > INT32_MAX) return 0;
            *(int32_t *)out = (int32_t)v;
            return 1;
        case GA_DT_INT64: *(int64_t *)out = (int64_t)v; return 1;
        case GA_DT_UINT8:
            if (u > UINT8_MAX) return 0;
            *(uint8_t *)out = (uint8_t)u;
            return 1;
        case GA_DT_UINT16:
            if (u > UINT16_MAX) return 0;
            *(uint16_t *)out = (uint16_t)u;
            return 1;
        case GA_DT_UINT32:
            if (u > UINT32_MAX) return 0;
            *(uint32_t *)out = (uint32_t)u;
            return 1;
        default: *(uint64_t *)out = (uint64_t)u; return 1;
        }
    }
    int single = dt == GA_DT_FLOAT32 || dt == GA_DT_COMPLEX64;
    if (!single && dt != GA_DT_FLOAT64 && dt != GA_DT_COMPLEX128) return 0; /* float16: the general path */
    double re, im = 0;
    if (is_int) {
        /* ints a double holds exactly (|v| <= 2**53): no double rounding */
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(s, &overflow);
        if (v == -1 && PyErr_Occurred()) return -1;
        if (overflow || v > (1LL << 53) || v < -(1LL << 53)) return 0;
        re = (double)v;
    } else if (kind == GA_SCALAR_KIND_FLOAT) {
        re = PyFloat_AsDouble(s);
    } else {
        if (!is_complex(dt)) return 0;
        re = PyComplex_RealAsDouble(s);
        im = PyComplex_ImagAsDouble(s);
    }
    if (single) {
        const double big = 3.4028234663852886e38;
        if ((re - re == 0 && (re > big || re < -big)) || (im - im == 0 && (im > big || im < -big))) return 0;
        ((float *)out)[0] = (float)re;
        if (is_complex(dt)) ((float *)out)[1] = (float)im;
    } else {
        ((double *)out)[0] = re;
        if (is_complex(dt)) ((double *)out)[1] = im;
    }
    return 1;
}

static int is_py_scalar(PyObject *o) {
    return PyFloat_CheckExact(o) || PyLong_CheckExact(o) || PyBool_Check(o) || PyComplex_CheckExact(o);
}

/* The out= of a flat binary call: a writable C-contiguous goarray array of
 * the result's dtype (rdt) and the operands' shape that is one of them (of
 * the same dtype) or overlaps neither. */
static GAArray *fast_out(PyObject *o, int rdt, FlatOperand *fx, FlatOperand *fy) {
    if (Py_TYPE(o) != ga_state.array_type) return NULL;
    GAArray *a = (GAArray *)o;
    if (!(a->bits & GA_C_CONTIG) || (a->bits & GA_READONLY) || a->dtype != rdt || a->ndim != fx->ndim ||
        memcmp(a->dims, fx->shape, sizeof(Py_ssize_t) * (size_t)a->ndim) != 0)
        return NULL;
    FlatOperand *ins[2] = {fx, fy};
    for (int i = 0; i < 2; i++) {
        if (!ins[i]) continue;
        char *x = ins[i]->data;
        if (x == a->data && ins[i]->dtype != rdt) return NULL;
        if (x != a->data && x < a->data + a->len && a->data < x + a->len) return NULL;
    }
    return a;
}

/* Both operands flat arrays of one dtype and shape (flat_operand), or one
 * of them and a Python scalar that keeps its dtype (scalar_as). */
PyObject *ga_binary_flat(int op, PyObject *x, PyObject *y, PyObject *out_o, int min_ndim, int *handled) {
    *handled = 0;
    if (ga_state.forked || (out_o && Py_TYPE(out_o) != ga_state.array_type)) return NULL;
    FlatOperand fx, fy;
    int mode = GA_SCALAR_NONE;
    char sbuf[16];
    int okx = flat_operand(x, &fx);
    if (okx < 0) {
        *handled = 1;
        return NULL;
    }
    int oky = flat_operand(y, &fy);
    if (oky < 0) {
        flat_release(&fx);
        *handled = 1;
        return NULL;
    }
    FlatOperand *fa = okx ? &fx : &fy; /* the array operand */
    int usable = 0;
    if (okx && oky) {
        usable = fx.dtype == fy.dtype && fx.ndim == fy.ndim &&
                 memcmp(fx.shape, fy.shape, sizeof(Py_ssize_t) * (size_t)fx.ndim) == 0;
    } else if (okx || oky) {
        PyObject *so = okx ? y : x;
        mode = okx ? GA_SCALAR_RIGHT : GA_SCALAR_LEFT;
        if (is_py_scalar(so) && ga_binary_loop(op, fa->dtype)) {
            usable = scalar_as(op, so, fa->dtype, sbuf);
            if (usable < 0) {
                flat_release(&fx);
                flat_release(&fy);
                *handled = 1;
                return NULL;
            }
        }
    }
    if (!usable || !ga_binary_loop(op, fa->dtype) || fa->ndim < min_ndim) {
        flat_release(&fx);
        flat_release(&fy);
        return NULL;
    }
    *handled = 1;
    int rdt = ga_binary_result(op, fa->dtype);
    char *xd = mode == GA_SCALAR_LEFT ? sbuf : fx.data, *yd = mode == GA_SCALAR_RIGHT ? sbuf : fy.data;
    int release = fa->len >= GA_GIL_RELEASE_BYTES; /* the largest operand: every one is fa->len bytes */
    GAArray *o, *pinned = NULL;
    int rc = -1; /* -1: failed with the exception set; 2: o is ready for the kernel */
    if (out_o) {
        o = fast_out(out_o, rdt, fa, mode == GA_SCALAR_NONE ? &fy : NULL);
        if (!o) {
            flat_release(&fx);
            flat_release(&fy);
            *handled = 0;
            return NULL;
        }
        Py_INCREF((PyObject *)o);
        pinned = ga_owner_of(o);
        pinned->exports++;
        rc = 2;
    } else {
        o = ga_alloc_object();
        if (o && !release) /* small: allocate and compute in one call into Go */
            rc = goaNewBinary(o, op, fa->dtype, rdt, fa->ndim, fa->shape, xd, yd, fa->n, mode) == 0 ? 0 : -1;
        else if (o && goaNew(o, rdt, fa->ndim, fa->shape, 'C', 0) == 0)
            rc = 2;
    }
    if (rc == 2) {
        GACall c;
        ga_call_begin(&c, fa->len);
        rc = goaBinaryFlat(op, fa->dtype, o->data, xd, yd, fa->n, mode, 0, c.interruptible, &c.kind, c.err,
                           sizeof c.err);
        rc = ga_call_end(&c, rc);
    }
    if (pinned) pinned->exports--;
    flat_release(&fx);
    flat_release(&fy);
    if (rc != 0) {
        Py_XDECREF((PyObject *)o);
        return NULL;
    }
    return (PyObject *)o;
}

static PyObject *fast_binary(int op, PyObject *fallback, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    PyObject *out_o = NULL;
    if (nargs == 2 && kwnames && PyTuple_Size(kwnames) == 1 &&
        PyUnicode_CompareWithASCIIString(PyTuple_GetItem(kwnames, 0), "out") == 0)
        out_o = args[2];
    else if (nargs == 3 && !kwnames)
        out_o = args[2];
    else if (nargs != 2 || kwnames)
        return call_fallback(fallback, args, nargs, kwnames);
    int handled;
    PyObject *r = ga_binary_flat(op, args[0], args[1], out_o, 0, &handled);
    if (handled) return r;
    return call_fallback(fallback, args, nargs, kwnames);
}

/* scale(a, s): a C-contiguous writable float32/float64 goarray array times
 * a Python float or int (not bool) that the dtype holds, as numpy's a *= s. */
static PyObject *scale_fast(int op, PyObject *fallback, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    (void)op;
    if (nargs != 2 || kwnames || ga_state.forked || Py_TYPE(args[0]) != ga_state.array_type)
        return call_fallback(fallback, args, nargs, kwnames);
    GAArray *a = (GAArray *)args[0];
    PyObject *so = args[1];
    if ((a->dtype != GA_DT_FLOAT32 && a->dtype != GA_DT_FLOAT64) || !(a->bits & GA_C_CONTIG) || (a->bits & GA_READONLY) ||
        !(PyFloat_CheckExact(so) || PyLong_CheckExact(so)))
        return call_fallback(fallback, args, nargs, kwnames);
    double f;
    if (PyFloat_CheckExact(so)) {
        f = PyFloat_AsDouble(so);
    } else {
        /* ints a double holds exactly (|v| <= 2**53): no double rounding */
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(so, &overflow);
        if (overflow || v > (1LL << 53) || v < -(1LL << 53)) return call_fallback(fallback, args, nargs, kwnames);
        if (v == -1 && PyErr_Occurred()) return NULL;
        f = (double)v;
    }
    if (a->dtype == GA_DT_FLOAT32 && f - f == 0 && (f > 3.4028234663852886e38 || f < -3.4028234663852886e38))
        return call_fallback(fallback, args, nargs, kwnames); /* finite but beyond float32: numpy's path */
    GAArray *owner = ga_owner_of(a);
    owner->exports++;
    GACall c;
    ga_call_begin(&c, a->len);
    int rc = goaScaleFlat(a->dtype, a->data, a->len / a->itemsize, f, 0, c.interruptible, &c.kind, c.err,
                          sizeof c.err);
    rc = ga_call_end(&c, rc);
    owner->exports--;
    if (rc < 0) return NULL;
    return Py_NewRef(args[0]);
}

/* ---- the entry points ------------------------------------------------- */

/* Each entry point falls back to the Python function ga_state.fast_impls
 * holds at its index in fast_defs. The C functions have no __self__ and
 * name "goarray" as their module, so pickle saves them by reference
 * (goarray.sum) and a multiprocessing Pool can send them to workers. */
enum { FAST_SUM, FAST_MIN, FAST_MAX, FAST_PROD, FAST_ALL, FAST_ANY, FAST_ADD, FAST_SUBTRACT, FAST_MULTIPLY,
       FAST_DIVIDE, FAST_MINIMUM, FAST_MAXIMUM, FAST_SCALE, FAST_MEAN };
#define GA_FAST(name, kind, op, idx)                                                                   \
    static PyObject *fast_##name(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw) { \
        (void)self;                                                                                    \
        return kind(op, ga_state.fast_impls[idx], args, nargs, kw);                                    \
    }
GA_FAST(sum, fast_reduce, GA_OP_REDUCE_SUM, FAST_SUM)
GA_FAST(min, fast_reduce, GA_OP_REDUCE_MIN, FAST_MIN)
GA_FAST(max, fast_reduce, GA_OP_REDUCE_MAX, FAST_MAX)
GA_FAST(prod, fast_reduce, GA_OP_REDUCE_PROD, FAST_PROD)
GA_FAST(all, fast_reduce, GA_OP_REDUCE_ALL, FAST_ALL)
GA_FAST(any, fast_reduce, GA_OP_REDUCE_ANY, FAST_ANY)
GA_FAST(add, fast_binary, GA_OP_BINARY_ADD, FAST_ADD)
GA_FAST(subtract, fast_binary, GA_OP_BINARY_SUBTRACT, FAST_SUBTRACT)
GA_FAST(multiply, fast_binary, GA_OP_BINARY_MULTIPLY, FAST_MULTIPLY)
GA_FAST(divide, fast_binary, GA_OP_BINARY_DIVIDE, FAST_DIVIDE)
GA_FAST(minimum, fast_binary, GA_OP_BINARY_MINIMUM, FAST_MINIMUM)
GA_FAST(maximum, fast_binary, GA_OP_BINARY_MAXIMUM, FAST_MAXIMUM)
GA_FAST(scale, scale_fast, GA_OP_SCALE_SCALE, FAST_SCALE)
GA_FAST(mean, mean_reduce, GA_OP_REDUCE_SUM, FAST_MEAN)

#define GA_FAST_DEF(name) {#name, GA_FN(fast_##name), METH_FASTCALL | METH_KEYWORDS, NULL}
static PyMethodDef fast_defs[] = {
    GA_FAST_DEF(sum), GA_FAST_DEF(min), GA_FAST_DEF(max), GA_FAST_DEF(prod), GA_FAST_DEF(all),
    GA_FAST_DEF(any), GA_FAST_DEF(add), GA_FAST_DEF(subtract), GA_FAST_DEF(multiply),
    GA_FAST_DEF(divide), GA_FAST_DEF(minimum), GA_FAST_DEF(maximum), GA_FAST_DEF(scale), GA_FAST_DEF(mean), {NULL},
};

_Static_assert(sizeof fast_defs / sizeof fast_defs[0] == GA_NFAST_ENTRIES + 1, "GA_NFAST_ENTRIES is fast_defs' length");
_Static_assert(FAST_MEAN + 1 == GA_NFAST_ENTRIES, "one FAST_* index per entry of fast_defs, in its order");

/* _fast(name, impl, doc): the C entry point of goarray.<name>, falling
 * back to impl; doc is its docstring with impl's text signature
 * ("name($impl, a, axis=None, ...)\n--\n\n..."), which inspect reads. */
PyObject *ga_f_fast(PyObject *m, PyObject *args) {
    const char *name, *doc;
    PyObject *impl;
    if (!PyArg_ParseTuple(args, "sOs", &name, &impl, &doc)) return NULL;
    for (PyMethodDef *d = fast_defs; d->ml_name; d++) {
        if (strcmp(d->ml_name, name) != 0) continue;
        if (!d->ml_doc) {
            d->ml_doc = strdup(doc); /* lives as long as the process, as the def */
            if (!d->ml_doc) return PyErr_NoMemory();
        }
        PyObject *old = ga_state.fast_impls[d - fast_defs];
        ga_state.fast_impls[d - fast_defs] = Py_NewRef(impl);
        Py_XDECREF(old);
        PyObject *modname = PyUnicode_FromString("goarray");
        if (!modname) return NULL;
        PyObject *f = PyCFunction_NewEx(d, NULL, modname);
        Py_DECREF(modname);
        return f;
    }
    PyErr_Format(PyExc_ValueError, "_fast: no fast entry point %s", name);
    return NULL;
}

/* creation.c: new Go-backed arrays: empty, zeros, and the internal
 * constructors the Python package builds on (_new_like, _new_strided).
 * from_buffer, which views foreign memory, is in buffer.c. */
#include "internal.h"

/* empty/zeros(shape, dtype=None, order='C') */
static PyObject *make_new(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, int zero, const char *name) {
    static const char *const names[] = {"shape", "dtype", "order"};
    PyObject *a[3];
    if (ga_parse_args(name, args, nargs, kwnames, names, 3, 3, 1, a) < 0) return NULL;
    Py_ssize_t shape[GA_MAX_DIMS];
    int none = ga_shape_none(a[0]);
    if (none < 0) return NULL;
    int nd = none ? 0 : ga_parse_ints(a[0], shape, GA_MAX_DIMS, "shape");
    if (nd < 0) return NULL;
    int dt = ga_resolve_dtype(a[1]);
    if (dt < 0) return NULL;
    int order = ga_parse_order(a[2]);
    if (order < 0) return NULL;
    if (order != 'C' && order != 'F') {
        PyErr_SetString(PyExc_ValueError, "only 'C' or 'F' order is permitted");
        return NULL;
    }
    if (ga_check_fork() < 0) return NULL;
    GAArray *o = ga_alloc_object();
    if (!o) return NULL;
    if (ga_take_spare(o, dt, nd, shape, order, zero)) return (PyObject *)o;
    if (goaNew(o, dt, nd, shape, order, zero) < 0) {
        Py_DECREF(o);
        return NULL;
    }
    return (PyObject *)o;
}

PyObject *ga_f_empty(PyObject *m, PyObject *const *args, Py_ssize_t nargs, PyObject *kw) {
    return make_new(args, nargs, kw, 0, "empty");
}

PyObject *ga_f_zeros(PyObject *m, PyObject *const *args, Py_ssize_t nargs, PyObject *kw) {
    return make_new(args, nargs, kw, 1, "zeros");
}

/* The shape and strides arguments of _new_like and _new_strided: the
 * number of dimensions, or -1 with an exception. */
static int shape_and_strides(PyObject *shape_o, PyObject *strides_o, Py_ssize_t *shape, Py_ssize_t *strides) {
    int nd = ga_parse_ints(shape_o, shape, GA_MAX_DIMS, "shape");
    if (nd < 0) return -1;
    int ns = ga_parse_ints(strides_o, strides, GA_MAX_DIMS, "strides");
    if (ns < 0) return -1;
    if (ns != nd) {
        PyErr_SetString(PyExc_ValueError, "shape and strides differ in length");
        return -1;
    }
    return nd;
}

/* _new_like(shape, strides, itemsize, dtype, zero): a new array whose memory
 * order follows the given strides of itemsize-byte elements (numpy's
 * order="K"). */
PyObject *ga_f_new_like(PyObject *m, PyObject *args) {
    PyObject *shape_o, *strides_o, *dtype_o;
    Py_ssize_t itemsize;
    int zero;
    if (!PyArg_ParseTuple(args, "OOnOp", &shape_o, &strides_o, &itemsize, &dtype_o, &zero)) return NULL;
    Py_ssize_t shape[GA_MAX_DIMS], strides[GA_MAX_DIMS];
    int nd = shape_and_strides(shape_o, strides_o, shape, strides);
    if (nd < 0) return NULL;
    int dt = ga_resolve_dtype(dtype_o);
    if (dt < 0 || ga_check_fork() < 0) return NULL;
    GAArray *o = ga_alloc_object();
    if (!o) return NULL;
    if (goaNewLike(o, dt, nd, shape, strides, itemsize, zero) < 0) {
        Py_DECREF(o);
        return NULL;
    }
    return (PyObject *)o;
}

/* _new_strided(shape, strides, dtype): a new array with exactly these
 * (dense, non-negative) strides, to take over numpy results unchanged. */
PyObject *ga_f_new_strided(PyObject *m, PyObject *args) {
    PyObject *shape_o, *strides_o, *dtype_o;
    if (!PyArg_ParseTuple(args, "OOO", &shape_o, &strides_o, &dtype_o)) return NULL;
    Py_ssize_t shape[GA_MAX_DIMS], strides[GA_MAX_DIMS];
    int nd = shape_and_strides(shape_o, strides_o, shape, strides);
    if (nd < 0) return NULL;
    int dt = ga_resolve_dtype(dtype_o);
    if (dt < 0 || ga_check_fork() < 0) return NULL;
    GAArray *o = ga_alloc_object();
    if (!o) return NULL;
    if (goaNewStrided(o, dt, nd, shape, strides) < 0) {
        Py_DECREF(o);
        return NULL;
    }
    return (PyObject *)o;
}

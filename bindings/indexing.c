/* indexing.c: a[key] and a[key] = value. Basic keys (ints, slices, None,
 * Ellipsis) make views in Go; an element read or written with one Python
 * int per axis is served from the C record without Go; every other key
 * (arrays, booleans, lists, objects whose __index__ fails) goes to numpy on
 * a zero-copy view (goarray/_array.py's advanced_getitem/setitem), so its
 * rules and its errors are numpy's. */
#include "internal.h"

#define MAX_INDEX_ITEMS 160

/* The kinds of core.IndexItem (exports.go's goaIndex reads 5 words per
 * item: kind, int-or-start, stop, step, presence bits 1 start 2 stop 4 step). */
enum { ITEM_INT, ITEM_SLICE, ITEM_NEWAXIS, ITEM_ELLIPSIS };

/* Encode one basic index item into 5 words; returns 1 if it is basic, 0 if
 * numpy must handle it (advanced indexing), -1 on error. */
static int encode_item(PyObject *it, Py_ssize_t *w, int *ellipsis) {
    memset(w, 0, 5 * sizeof(Py_ssize_t));
    if (it == Py_None) { w[0] = ITEM_NEWAXIS; return 1; }
    if (it == Py_Ellipsis) { w[0] = ITEM_ELLIPSIS; *ellipsis = 1; return 1; }
    if (PySlice_Check(it)) {
        /* A slice whose bounds' __index__ fails raises that error, as in
         * numpy (Python's own slice handling). */
        Py_ssize_t start, stop, step;
        if (PySlice_Unpack(it, &start, &stop, &step) < 0) return -1;
        w[0] = ITEM_SLICE; w[1] = start; w[2] = stop; w[3] = step; w[4] = 7;
        return 1;
    }
    if (PyBool_Check(it)) return 0;
    /* Arrays (numpy's or ours, even 0-d) index as arrays: numpy copies. */
    if (ga_state.ndarray_type && PyObject_TypeCheck(it, ga_state.ndarray_type)) return 0;
    if (PyObject_TypeCheck(it, ga_state.base_type)) return 0;
    if (PyLong_Check(it) || PyIndex_Check(it)) {
        PyObject *i = PyNumber_Index(it);
        if (!i) {
            /* Whatever __index__ raised, numpy's answer for this key is
             * IndexError ("only integers, slices ... are valid indices"):
             * numpy's indexing gives it. */
            PyErr_Clear();
            return 0;
        }
        Py_ssize_t v = PyLong_AsSsize_t(i);
        Py_DECREF(i);
        if (v == -1 && PyErr_Occurred()) {
            /* Out of ssize_t range: numpy's own error (OverflowError or
             * IndexError, depending on the value) is the reference. */
            PyErr_Clear();
            return 0;
        }
        w[0] = ITEM_INT; w[1] = v;
        return 1;
    }
    return 0;
}

/* Returns a new view, or NULL with an exception, or Py_NotImplemented (new
 * ref) when the key needs numpy's advanced indexing. */
static PyObject *basic_view(GAArray *self, PyObject *key, int *scalar) {
    Py_ssize_t words[MAX_INDEX_ITEMS * 5];
    int n = 0, ellipsis = 0;
    if (PyTuple_Check(key)) {
        Py_ssize_t k = PyTuple_Size(key);
        if (k > MAX_INDEX_ITEMS) return Py_NewRef(Py_NotImplemented);
        for (Py_ssize_t i = 0; i < k; i++) {
            int r = encode_item(PyTuple_GetItem(key, i), words + 5 * n, &ellipsis);
            if (r < 0) return NULL;
            if (r == 0) return Py_NewRef(Py_NotImplemented);
            n++;
        }
    } else {
        int r = encode_item(key, words, &ellipsis);
        if (r < 0) return NULL;
        if (r == 0) return Py_NewRef(Py_NotImplemented);
        n = 1;
    }
    if (ga_check_fork() < 0) return NULL;
    /* The view object is made here, so Go needs no call back into C. */
    GAArray *v = ga_alloc_view(self);
    if (!v) return NULL;
    if (goaIndex(self, v, words, n) < 0) {
        Py_DECREF(v);
        return NULL;
    }
    if (scalar) *scalar = v->ndim == 0 && !ellipsis;
    return (PyObject *)v;
}

/* The fast path for a[i, j, ...] with one Python int per axis: the element's
 * address from the C record, no Go call. Returns 1 and sets *p, 0 if the
 * key has another form, -1 with IndexError. */
static int element_ptr(GAArray *self, PyObject *key, char **p) {
    Py_ssize_t idx[GA_MAX_DIMS];
    int nd = self->ndim;
    if (PyLong_Check(key) && !PyBool_Check(key)) {
        if (nd != 1) return 0;
        idx[0] = PyLong_AsSsize_t(key);
        if (idx[0] == -1 && PyErr_Occurred()) { PyErr_Clear(); return 0; }
    } else if (PyTuple_Check(key) && PyTuple_Size(key) == nd) {
        for (int i = 0; i < nd; i++) {
            PyObject *it = PyTuple_GetItem(key, i);
            if (!PyLong_Check(it) || PyBool_Check(it)) return 0;
            idx[i] = PyLong_AsSsize_t(it);
            if (idx[i] == -1 && PyErr_Occurred()) { PyErr_Clear(); return 0; }
        }
    } else {
        return 0;
    }
    char *q = self->data;
    for (int i = 0; i < nd; i++) {
        Py_ssize_t n = self->dims[i], k = idx[i] < 0 ? idx[i] + n : idx[i];
        if (k < 0 || k >= n) {
            PyErr_Format(PyExc_IndexError, "index %zd is out of bounds for axis %d with size %zd", idx[i], i, n);
            return -1;
        }
        q += k * self->dims[nd + i];
    }
    *p = q;
    return 1;
}

/* exact: keep NaN payloads (element reads); computed results need not. */
PyObject *ga_scalar_from(int dtype, const char *p, int exact) {
    PyObject *v;
    switch (dtype) {
    case GA_DT_BOOL: v = PyBool_FromLong(*(const unsigned char *)p != 0); break;
    case GA_DT_INT8: v = PyLong_FromLong(*(const int8_t *)p); break;
    case GA_DT_INT16: v = PyLong_FromLong(*(const int16_t *)p); break;
    case GA_DT_INT32: v = PyLong_FromLong(*(const int32_t *)p); break;
    case GA_DT_INT64: v = PyLong_FromLongLong(*(const int64_t *)p); break;
    case GA_DT_UINT8: v = PyLong_FromUnsignedLong(*(const uint8_t *)p); break;
    case GA_DT_UINT16: v = PyLong_FromUnsignedLong(*(const uint16_t *)p); break;
    case GA_DT_UINT32: v = PyLong_FromUnsignedLong(*(const uint32_t *)p); break;
    case GA_DT_UINT64: v = PyLong_FromUnsignedLongLong(*(const uint64_t *)p); break;
    case GA_DT_FLOAT32: {
        /* float -> double -> float quiets a signalling NaN: numpy keeps
         * the bits, so NaNs take the slow path. */
        float f = *(const float *)p;
        if (exact && f != f) return NULL;
        v = PyFloat_FromDouble(f);
        break;
    }
    case GA_DT_FLOAT64: v = PyFloat_FromDouble(*(const double *)p); break;
    case GA_DT_COMPLEX64: {
        float re = ((const float *)p)[0], im = ((const float *)p)[1];
        if (exact && (re != re || im != im)) return NULL;
        v = PyComplex_FromDoubles(re, im);
        break;
    }
    case GA_DT_COMPLEX128: v = PyComplex_FromDoubles(((const double *)p)[0], ((const double *)p)[1]); break;
    default: return NULL;
    }
    if (!v) return NULL;
    PyObject *r = PyObject_CallFunctionObjArgs(ga_state.scalar_types[dtype], v, NULL);
    Py_DECREF(v);
    return r;
}

/* Store a Python bool/int/float at p when the conversion is exact and
 * numpy would do the same; 1 done, 0 not handled (numpy decides). */
static int fast_store(GAArray *self, char *p, PyObject *value) {
    if (self->bits & GA_READONLY) return 0;
    int exact_float = PyFloat_CheckExact(value), exact_int = PyLong_CheckExact(value);
    switch (self->dtype) {
    case GA_DT_BOOL:
        if (!PyBool_Check(value)) return 0;
        *(unsigned char *)p = value == Py_True;
        return 1;
    case GA_DT_INT64: {
        if (!exact_int) return 0;
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
        if (overflow || (v == -1 && PyErr_Occurred())) { PyErr_Clear(); return 0; }
        *(int64_t *)p = v;
        return 1;
    }
    case GA_DT_FLOAT32: {
        if (!exact_float) return 0;
        double d = PyFloat_AsDouble(value);
        if (d == d && (d > 3.4028234663852886e38 || d < -3.4028234663852886e38)) return 0;
        *(float *)p = (float)d;
        return 1;
    }
    case GA_DT_FLOAT64:
        if (!exact_float) return 0;
        *(double *)p = PyFloat_AsDouble(value);
        return 1;
    case GA_DT_COMPLEX128:
        if (!exact_float) return 0;
        ((double *)p)[0] = PyFloat_AsDouble(value);
        ((double *)p)[1] = 0.0;
        return 1;
    }
    return 0;
}

PyObject *ga_subscript(PyObject *obj, PyObject *key) {
    GAArray *self = (GAArray *)obj;
    char *p;
    int fast = element_ptr(self, key, &p);
    if (fast < 0) return NULL;
    if (fast) {
        /* NULL without an exception: no C conversion for this element */
        PyObject *s = ga_scalar_from(self->dtype, p, 1);
        if (s || PyErr_Occurred()) return s;
    }
    int scalar = 0;
    PyObject *v = basic_view(self, key, &scalar);
    if (v == Py_NotImplemented) {
        Py_DECREF(v);
        return PyObject_CallFunctionObjArgs(ga_state.adv_getitem, obj, key, NULL);
    }
    if (v && scalar) {
        PyObject *s = PyObject_CallFunctionObjArgs(ga_state.to_scalar, v, NULL);
        Py_DECREF(v);
        return s;
    }
    return v;
}

int ga_ass_subscript(PyObject *obj, PyObject *key, PyObject *value) {
    if (!value) {
        PyErr_SetString(PyExc_ValueError, "cannot delete array elements");
        return -1;
    }
    char *p;
    int fast = element_ptr((GAArray *)obj, key, &p);
    if (fast < 0) return -1;
    if (fast && fast_store((GAArray *)obj, p, value)) return 0;
    /* Everything else is numpy's assignment on a zero-copy view of the
     * whole array: its indexing, broadcasting and casting rules, exactly. */
    PyObject *r = PyObject_CallFunctionObjArgs(ga_state.adv_setitem, obj, key, value, NULL);
    if (!r) return -1;
    Py_DECREF(r);
    return 0;
}

Py_ssize_t ga_length(PyObject *obj) {
    GAArray *self = (GAArray *)obj;
    if (self->ndim == 0) {
        PyErr_SetString(PyExc_TypeError, "len() of unsized object");
        return -1;
    }
    return self->dims[0];
}

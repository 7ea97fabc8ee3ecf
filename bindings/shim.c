/* shim.c: the goarray._goarray extension type and module.
 *
 * The buffer protocol is served from the export record Go wrote into the
 * object when it was made, so getbuffer/releasebuffer never call Go: they
 * work in a forked child and cost what a bytearray export costs. Every path
 * that does call Go checks ga_forked first, because the Go runtime cannot
 * run in a child after fork (its other threads are gone). */
#define _GNU_SOURCE
#include "shim.h"
#include "dlpack.h"
#include "_cgo_export.h"
#include <structmember.h>
#include <pthread.h>
#include <dlfcn.h>
#include <link.h>
#include <string.h>
#include <stdlib.h>

volatile int ga_forked = 0;

static PyTypeObject *base_type;   /* _goarray._ArrayBase */
static PyTypeObject *array_type;  /* what new objects are: goarray.Array once registered */
static PyObject *dtype_objs[16];  /* numpy.dtype per core.DType */
static PyObject *scalar_types[16]; /* numpy scalar type per core.DType */
static const char *formats[16];
static const char *typestrs[16];
static PyObject *dtype_resolver;  /* Python: obj -> core.DType code */
static PyObject *dtype_cache;     /* dict: dtype-like -> code */
static PyObject *to_scalar;       /* Python: 0-d Array -> numpy scalar */
static PyObject *adv_getitem;     /* Python: (array, key) -> result */
static PyObject *adv_setitem;     /* Python: (array, key, value) -> None */
static PyTypeObject *ndarray_type; /* numpy.ndarray */

#define MAX_INDEX_ITEMS 160

/* Py_XSETREF is not part of the limited API. */
#define SETREF(dst, src) do { PyObject *_old = (PyObject *)(dst); (dst) = (src); Py_XDECREF(_old); } while (0)
#define FORK_MESSAGE "goarray cannot be used in a child process created by fork(): " \
    "the Go runtime does not survive fork. Use the 'spawn' or 'forkserver' " \
    "start method of multiprocessing (multiprocessing.set_start_method('spawn'))"

static Py_ssize_t dtype_itemsize(long d) {
    static const Py_ssize_t sizes[15] = {0, 1, 1, 2, 4, 8, 1, 2, 4, 8, 2, 4, 8, 8, 16};
    return d >= 0 && d < 15 ? sizes[d] : 0;
}

static int check_fork(void) {
    if (ga_forked) {
        PyErr_SetString(PyExc_RuntimeError, FORK_MESSAGE);
        return -1;
    }
    return 0;
}

static void on_fork_child(void) { ga_forked = 1; }

/* ---- called from Go --------------------------------------------------- */

void ga_raise(int kind, const char *msg, Py_ssize_t len) {
    PyObject *exc;
    switch (kind) {
    case GA_ERR_VALUE: exc = PyExc_ValueError; break;
    case GA_ERR_TYPE: exc = PyExc_TypeError; break;
    case GA_ERR_INDEX: exc = PyExc_IndexError; break;
    case GA_ERR_MEMORY: exc = PyExc_MemoryError; break;
    case GA_ERR_BUFFER: exc = PyExc_BufferError; break;
    case GA_ERR_AXIS: exc = PyExc_IndexError; break;
    default: exc = PyExc_RuntimeError; break;
    }
    if (kind == GA_ERR_AXIS) {
        PyObject *mod = PyImport_ImportModule("numpy");
        if (mod) {
            PyObject *ae = PyObject_GetAttrString(mod, "exceptions");
            PyObject *cls = ae ? PyObject_GetAttrString(ae, "AxisError") : NULL;
            if (!cls) { PyErr_Clear(); cls = PyObject_GetAttrString(mod, "AxisError"); }
            Py_XDECREF(ae);
            Py_DECREF(mod);
            if (cls) {
                PyObject *m = PyUnicode_FromStringAndSize(msg, len);
                if (m) { PyErr_SetObject(cls, m); Py_DECREF(m); }
                Py_DECREF(cls);
                return;
            }
        }
        PyErr_Clear();
    }
    PyObject *m = PyUnicode_DecodeUTF8(msg, len, "replace");
    if (m) {
        PyErr_SetObject(exc, m);
        Py_DECREF(m);
    }
}

static GAArray *alloc_object(void) {
    allocfunc f = (allocfunc)PyType_GetSlot(array_type, Py_tp_alloc);
    GAArray *o = (GAArray *)f(array_type, 0);
    if (o) o->dims = o->inline_dims;
    return o;
}

GAArray *ga_alloc_owner(void) { return alloc_object(); }

static GAArray *owner_of(GAArray *o) { return o->base ? (GAArray *)o->base : o; }

GAArray *ga_alloc_view(GAArray *self) {
    GAArray *o = alloc_object();
    if (!o) return NULL;
    GAArray *owner = owner_of(self);
    Py_INCREF((PyObject *)owner);
    o->base = (PyObject *)owner;
    owner->exports++;
    o->bits = self->bits & (GA_READONLY | GA_NO_WRITE);
    return o;
}

Py_ssize_t *ga_dims_alloc(GAArray *o, int ndim) {
    if (o->dims != o->inline_dims) free(o->dims);
    o->dims = o->inline_dims;
    if (ndim > GA_INLINE_DIMS) {
        o->dims = malloc(sizeof(Py_ssize_t) * 4 * (size_t)ndim);
        if (!o->dims) abort(); /* a few hundred bytes: nothing sensible to do */
    }
    return o->dims;
}

void ga_set_format(int dtype, const char *format, const char *typestr) {
    if (dtype >= 0 && dtype < 16) {
        formats[dtype] = format;
        typestrs[dtype] = typestr;
    }
}

/* ---- the type --------------------------------------------------------- */

/* Releasing a Go array costs a C-to-Go call (~100 ns), as much as the rest
 * of making and dropping a small array. Handles of small arrays and of views
 * are queued here (under the GIL) and released in one call per batch; large
 * blocks are released at once so their memory goes back to the OS promptly.
 * The queue holds at most GA_FREE_BATCH * 64 KiB. */
#define GA_FREE_BATCH 32
#define GA_FREE_NOW_BYTES 65536
static uintptr_t free_queue[GA_FREE_BATCH];
static int free_queued = 0;

static void flush_free_queue(void) {
    if (free_queued && !ga_forked) goaReleaseBatch(free_queue, free_queued);
    free_queued = 0;
}

static void release_handle(GAArray *self) {
    int owner = (self->bits & GA_OWNDATA) != 0;
    if (ga_forked) return; /* the Go runtime cannot run in a forked child: leak */
    if (owner && self->len > GA_FREE_NOW_BYTES) {
        goaRelease(self->handle, owner);
        return;
    }
    free_queue[free_queued++] = (self->handle << 1) | (uintptr_t)owner;
    if (free_queued == GA_FREE_BATCH) flush_free_queue();
}

static void ga_dealloc(PyObject *obj) {
    GAArray *self = (GAArray *)obj;
    PyTypeObject *tp = Py_TYPE(obj);
    if (self->weakrefs) PyObject_ClearWeakRefs(obj);
    if (self->handle) release_handle(self);
    self->handle = 0;
    if (self->base) {
        ((GAArray *)self->base)->exports--;
        Py_CLEAR(self->base);
    }
    if (self->dims != self->inline_dims) free(self->dims);
    if (self->foreign) {
        PyBuffer_Release(self->foreign);
        PyMem_Free(self->foreign);
        self->foreign = NULL;
    }
    freefunc f = (freefunc)PyType_GetSlot(tp, Py_tp_free);
    f(obj);
    Py_DECREF(tp);
}

static int refuse(int flags, const char *reason) {
    PyErr_Format(PyExc_BufferError,
                 "buffer request (flags 0x%x) refused: goarray.Array is %s", flags, reason);
    return -1;
}

/* The same rules, in the same order, as pybuf.Check (numpy's
 * array_getbuffer); tests/test_buffer.py checks both agree. */
static int ga_getbuffer(PyObject *obj, Py_buffer *view, int flags) {
    GAArray *self = (GAArray *)obj;
    unsigned int bits = self->bits;
    int c = bits & GA_C_CONTIG, f = bits & GA_F_CONTIG;
    if ((flags & PyBUF_C_CONTIGUOUS) == PyBUF_C_CONTIGUOUS && !c)
        return refuse(flags, "not C-contiguous");
    if ((flags & PyBUF_F_CONTIGUOUS) == PyBUF_F_CONTIGUOUS && !f)
        return refuse(flags, "not Fortran contiguous");
    if ((flags & PyBUF_ANY_CONTIGUOUS) == PyBUF_ANY_CONTIGUOUS && !c && !f)
        return refuse(flags, "not contiguous");
    if ((flags & PyBUF_STRIDES) != PyBUF_STRIDES && !c)
        return refuse(flags, "not C-contiguous, and a request without PyBUF_STRIDES needs a C-contiguous block");
    if ((flags & PyBUF_WRITABLE) && (bits & GA_READONLY))
        return refuse(flags, "read-only");
    int nd = self->ndim;
    view->buf = self->data;
    view->obj = Py_NewRef(obj);
    view->len = self->len;
    view->readonly = (bits & GA_READONLY) ? 1 : 0;
    view->itemsize = self->itemsize;
    view->format = (flags & PyBUF_FORMAT) == PyBUF_FORMAT ? (char *)formats[self->dtype] : NULL;
    if ((flags & PyBUF_ND) == PyBUF_ND) {
        view->ndim = nd;
        view->shape = self->dims;
    } else {
        view->ndim = 0;
        view->shape = NULL;
    }
    if ((flags & PyBUF_STRIDES) == PyBUF_STRIDES) {
        if (c && !((flags & PyBUF_F_CONTIGUOUS) == PyBUF_F_CONTIGUOUS && f))
            view->strides = self->dims + 2 * nd;
        else if (f)
            view->strides = self->dims + 3 * nd;
        else
            view->strides = self->dims + nd;
    } else {
        view->strides = NULL;
    }
    view->suboffsets = NULL;
    view->internal = NULL;
    owner_of(self)->exports++;
    return 0;
}

static void ga_releasebuffer(PyObject *obj, Py_buffer *view) {
    owner_of((GAArray *)obj)->exports--;
}

static PyObject *dims_tuple(GAArray *self, int which) {
    int nd = self->ndim;
    PyObject *t = PyTuple_New(nd);
    if (!t) return NULL;
    for (int i = 0; i < nd; i++) {
        PyObject *v = PyLong_FromSsize_t(self->dims[which * nd + i]);
        if (!v) { Py_DECREF(t); return NULL; }
        PyTuple_SetItem(t, i, v);
    }
    return t;
}

static Py_ssize_t array_size(GAArray *self) {
    Py_ssize_t n = 1;
    for (int i = 0; i < self->ndim; i++) n *= self->dims[i];
    return n;
}

static PyObject *get_shape(PyObject *o, void *c) { return dims_tuple((GAArray *)o, 0); }
static PyObject *get_strides(PyObject *o, void *c) { return dims_tuple((GAArray *)o, 1); }
static PyObject *get_ndim(PyObject *o, void *c) { return PyLong_FromLong(((GAArray *)o)->ndim); }
static PyObject *get_size(PyObject *o, void *c) { return PyLong_FromSsize_t(array_size((GAArray *)o)); }
static PyObject *get_itemsize(PyObject *o, void *c) { return PyLong_FromSsize_t(((GAArray *)o)->itemsize); }
static PyObject *get_nbytes(PyObject *o, void *c) { return PyLong_FromSsize_t(((GAArray *)o)->len); }
static PyObject *get_data(PyObject *o, void *c) { return PyLong_FromVoidPtr(((GAArray *)o)->data); }
static PyObject *get_bits(PyObject *o, void *c) { return PyLong_FromUnsignedLong(((GAArray *)o)->bits); }
static PyObject *get_exports(PyObject *o, void *c) { return PyLong_FromSsize_t(owner_of((GAArray *)o)->exports); }
static PyObject *get_typestr(PyObject *o, void *c) { return PyUnicode_FromString(typestrs[((GAArray *)o)->dtype]); }
static PyObject *get_format(PyObject *o, void *c) { return PyUnicode_FromString(formats[((GAArray *)o)->dtype]); }

static PyObject *get_dtype(PyObject *o, void *c) {
    PyObject *d = dtype_objs[((GAArray *)o)->dtype];
    if (!d) { PyErr_SetString(PyExc_RuntimeError, "goarray: dtypes not registered"); return NULL; }
    return Py_NewRef(d);
}

static PyObject *get_base(PyObject *o, void *c) {
    GAArray *self = (GAArray *)o;
    if (self->base) return Py_NewRef(self->base);
    if (self->foreign && self->foreign->obj) return Py_NewRef(self->foreign->obj);
    return Py_NewRef(Py_None);
}

static PyObject *get_T(PyObject *o, void *c);

static PyGetSetDef ga_getset[] = {
    {"shape", get_shape, NULL, "Tuple of array dimensions.", NULL},
    {"strides", get_strides, NULL, "Tuple of bytes to step in each dimension.", NULL},
    {"ndim", get_ndim, NULL, "Number of array dimensions.", NULL},
    {"size", get_size, NULL, "Number of elements.", NULL},
    {"itemsize", get_itemsize, NULL, "Bytes per element.", NULL},
    {"nbytes", get_nbytes, NULL, "Bytes of all elements.", NULL},
    {"dtype", get_dtype, NULL, "numpy.dtype of the elements.", NULL},
    {"base", get_base, NULL, "The array this view was taken from, or None.", NULL},
    {"T", get_T, NULL, "The transposed array (a view).", NULL},
    {"_data", get_data, NULL, NULL, NULL},
    {"_bits", get_bits, NULL, NULL, NULL},
    {"_exports", get_exports, NULL, NULL, NULL},
    {"_typestr", get_typestr, NULL, NULL, NULL},
    {"_format", get_format, NULL, NULL, NULL},
    {NULL}
};

static PyMemberDef ga_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(GAArray, weakrefs), READONLY, NULL},
    {NULL}
};

/* Parse a shape (an int or a sequence of ints) into out[] as numpy's
 * PyArray_IntpConverter does; returns the count or -1 with an exception. */
static int parse_ints(PyObject *obj, Py_ssize_t *out, int max, const char *what) {
    if (!PyBool_Check(obj) && PyIndex_Check(obj)) {
        PyObject *i = PyNumber_Index(obj);
        if (i) {
            Py_ssize_t v = PyLong_AsSsize_t(i);
            Py_DECREF(i);
            if (v == -1 && PyErr_Occurred()) {
                PyErr_Clear();
                PyErr_Format(PyExc_ValueError, "%s: %R is too large for a dimension", what, obj);
                return -1;
            }
            out[0] = v;
            return 1;
        }
        if (!PyErr_ExceptionMatches(PyExc_TypeError)) return -1;
        PyErr_Clear(); /* e.g. a 1-d numpy array: a sequence */
    }
    if (PyBool_Check(obj) || PyDict_Check(obj) || PyUnicode_Check(obj) || !PySequence_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "expected a sequence of integers or a single integer, got '%S'", obj);
        return -1;
    }
    PyObject *seq = PySequence_Fast(obj, what);
    if (!seq) return -1;
    Py_ssize_t n = PySequence_Size(seq);
    if (n > max) {
        Py_DECREF(seq);
        PyErr_Format(PyExc_ValueError, "%s: %zd dimensions exceed the maximum of %d", what, n, max);
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PySequence_GetItem(seq, i);
        if (!item) { Py_DECREF(seq); return -1; }
        if (PyBool_Check(item)) {
            Py_DECREF(item);
            Py_DECREF(seq);
            PyErr_SetString(PyExc_TypeError, "an integer is required");
            return -1;
        }
        Py_ssize_t v = PyNumber_AsSsize_t(item, PyExc_ValueError);
        Py_DECREF(item);
        if (v == -1 && PyErr_Occurred()) { Py_DECREF(seq); return -1; }
        out[i] = v;
    }
    Py_DECREF(seq);
    return (int)n;
}

/* ---- indexing --------------------------------------------------------- */

/* Encode one basic index item into 5 words; returns 1 if it is basic, 0 if
 * numpy must handle it (advanced indexing), -1 on error. */
static int encode_item(PyObject *it, Py_ssize_t *w, int *ellipsis) {
    memset(w, 0, 5 * sizeof(Py_ssize_t));
    if (it == Py_None) { w[0] = 2; return 1; }
    if (it == Py_Ellipsis) { w[0] = 3; *ellipsis = 1; return 1; }
    if (PySlice_Check(it)) {
        Py_ssize_t start, stop, step;
        if (PySlice_Unpack(it, &start, &stop, &step) < 0) return -1;
        w[0] = 1; w[1] = start; w[2] = stop; w[3] = step; w[4] = 7;
        return 1;
    }
    if (PyBool_Check(it)) return 0;
    /* Arrays (numpy's or ours, even 0-d) index as arrays: numpy copies. */
    if (ndarray_type && PyObject_TypeCheck(it, ndarray_type)) return 0;
    if (PyObject_TypeCheck(it, base_type)) return 0;
    if (PyLong_Check(it) || PyIndex_Check(it)) {
        PyObject *i = PyNumber_Index(it);
        if (!i) {
            if (PyErr_ExceptionMatches(PyExc_TypeError)) { PyErr_Clear(); return 0; }
            return -1;
        }
        Py_ssize_t v = PyLong_AsSsize_t(i);
        Py_DECREF(i);
        if (v == -1 && PyErr_Occurred()) {
            /* Out of ssize_t range: numpy's own error (OverflowError or
             * IndexError, depending on the value) is the reference. */
            PyErr_Clear();
            return 0;
        }
        w[0] = 0; w[1] = v;
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
    if (check_fork() < 0) return NULL;
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
    Py_ssize_t idx[64];
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

static PyObject *scalar_from(int dtype, const char *p, int exact);

/* A numpy scalar of the element at p, or NULL without an exception when
 * this dtype has no fast path (float16). */
static PyObject *fast_scalar(GAArray *self, const char *p) { return scalar_from(self->dtype, p, 1); }

/* exact: keep NaN payloads (element reads); computed results need not. */
static PyObject *scalar_from(int dtype, const char *p, int exact) {
    PyObject *v;
    switch (dtype) {
    case 1: v = PyBool_FromLong(*(const unsigned char *)p != 0); break;
    case 2: v = PyLong_FromLong(*(const int8_t *)p); break;
    case 3: v = PyLong_FromLong(*(const int16_t *)p); break;
    case 4: v = PyLong_FromLong(*(const int32_t *)p); break;
    case 5: v = PyLong_FromLongLong(*(const int64_t *)p); break;
    case 6: v = PyLong_FromUnsignedLong(*(const uint8_t *)p); break;
    case 7: v = PyLong_FromUnsignedLong(*(const uint16_t *)p); break;
    case 8: v = PyLong_FromUnsignedLong(*(const uint32_t *)p); break;
    case 9: v = PyLong_FromUnsignedLongLong(*(const uint64_t *)p); break;
    case 11: {
        /* float -> double -> float quiets a signalling NaN: numpy keeps
         * the bits, so NaNs take the slow path. */
        float f = *(const float *)p;
        if (exact && f != f) return NULL;
        v = PyFloat_FromDouble(f);
        break;
    }
    case 12: v = PyFloat_FromDouble(*(const double *)p); break;
    case 13: {
        float re = ((const float *)p)[0], im = ((const float *)p)[1];
        if (exact && (re != re || im != im)) return NULL;
        v = PyComplex_FromDoubles(re, im);
        break;
    }
    case 14: v = PyComplex_FromDoubles(((const double *)p)[0], ((const double *)p)[1]); break;
    default: return NULL;
    }
    if (!v) return NULL;
    PyObject *r = PyObject_CallFunctionObjArgs(scalar_types[dtype], v, NULL);
    Py_DECREF(v);
    return r;
}

/* Store a Python bool/int/float at p when the conversion is exact and
 * numpy would do the same; 1 done, 0 not handled (numpy decides). */
static int fast_store(GAArray *self, char *p, PyObject *value) {
    if (self->bits & GA_READONLY) return 0;
    int exact_float = PyFloat_CheckExact(value), exact_int = PyLong_CheckExact(value);
    switch (self->dtype) {
    case 1:
        if (!PyBool_Check(value)) return 0;
        *(unsigned char *)p = value == Py_True;
        return 1;
    case 5: {
        if (!exact_int) return 0;
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
        if (overflow || (v == -1 && PyErr_Occurred())) { PyErr_Clear(); return 0; }
        *(int64_t *)p = v;
        return 1;
    }
    case 11: {
        if (!exact_float) return 0;
        double d = PyFloat_AsDouble(value);
        if (d == d && (d > 3.4028234663852886e38 || d < -3.4028234663852886e38)) return 0;
        *(float *)p = (float)d;
        return 1;
    }
    case 12:
        if (!exact_float) return 0;
        *(double *)p = PyFloat_AsDouble(value);
        return 1;
    case 14:
        if (!exact_float) return 0;
        ((double *)p)[0] = PyFloat_AsDouble(value);
        ((double *)p)[1] = 0.0;
        return 1;
    }
    return 0;
}

static PyObject *ga_subscript(PyObject *obj, PyObject *key) {
    GAArray *self = (GAArray *)obj;
    char *p;
    int fast = element_ptr(self, key, &p);
    if (fast < 0) return NULL;
    if (fast) {
        PyObject *s = fast_scalar(self, p);
        if (s || PyErr_Occurred()) return s;
    }
    int scalar = 0;
    PyObject *v = basic_view((GAArray *)obj, key, &scalar);
    if (v == Py_NotImplemented) {
        Py_DECREF(v);
        return PyObject_CallFunctionObjArgs(adv_getitem, obj, key, NULL);
    }
    if (v && scalar) {
        PyObject *s = PyObject_CallFunctionObjArgs(to_scalar, v, NULL);
        Py_DECREF(v);
        return s;
    }
    return v;
}

static int ga_ass_subscript(PyObject *obj, PyObject *key, PyObject *value) {
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
    PyObject *r = PyObject_CallFunctionObjArgs(adv_setitem, obj, key, value, NULL);
    if (!r) return -1;
    Py_DECREF(r);
    return 0;
}

static Py_ssize_t ga_length(PyObject *obj) {
    GAArray *self = (GAArray *)obj;
    if (self->ndim == 0) {
        PyErr_SetString(PyExc_TypeError, "len() of unsized object");
        return -1;
    }
    return self->dims[0];
}

/* ---- methods ---------------------------------------------------------- */

/* Run a shape operation in Go: a view of self, or a copy for op 4 and for
 * reshapes no view can express. */
static PyObject *shape_op(GAArray *self, int op, Py_ssize_t *ints, int n, int arg) {
    if (check_fork() < 0) return NULL;
    GAArray *v = ga_alloc_view(self);
    if (!v) return NULL;
    PyObject *r = goaShapeOp(self, v, op, ints, n, arg);
    if (r != (PyObject *)v) Py_DECREF(v);
    if (r && r != (PyObject *)v && op == 0) {
        /* A reshape that had to copy: numpy's result is a view of the
         * contiguous copy. */
        PyObject *w = shape_op((GAArray *)r, 0, ints, n, arg & 0xff);
        Py_DECREF(r);
        r = w;
    }
    if (r && op == 2) ((GAArray *)r)->bits |= GA_NO_WRITE | GA_READONLY;
    return r;
}

/* _shape_op(op, ints, arg): reshape/transpose/broadcast/view/copy in Go. */
static PyObject *m_shape_op(PyObject *obj, PyObject *args) {
    int op, arg;
    PyObject *ints;
    if (!PyArg_ParseTuple(args, "iOi", &op, &ints, &arg)) return NULL;
    Py_ssize_t buf[64];
    int n = 0;
    if (ints != Py_None) {
        n = parse_ints(ints, buf, 64, "shape");
        if (n < 0) return NULL;
    }
    return shape_op((GAArray *)obj, op, buf, n, arg);
}

/* Shapes and axes as numpy takes them: f(2, 3) or f((2, 3)). Returns the
 * count, -1 on error, -2 for a single None. */
static int star_ints(PyObject *const *args, Py_ssize_t nargs, Py_ssize_t *out, const char *what) {
    if (nargs == 1) {
        if (args[0] == Py_None) return -2;
        return parse_ints(args[0], out, 64, what);
    }
    if (nargs > 64) {
        PyErr_Format(PyExc_ValueError, "%s: %zd dimensions exceed the maximum of 64", what, nargs);
        return -1;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        if (PyBool_Check(args[i])) {
            PyErr_SetString(PyExc_TypeError, "an integer is required");
            return -1;
        }
        out[i] = PyNumber_AsSsize_t(args[i], PyExc_ValueError);
        if (out[i] == -1 && PyErr_Occurred()) return -1;
    }
    return (int)nargs;
}

/* The order keyword of reshape: 'C', 'F' or 'A', in either case. */
static int reshape_order(GAArray *self, PyObject *o) {
    if (!o || o == Py_None) return 'C';
    if (!PyUnicode_Check(o)) {
        PyObject *tn = PyObject_GetAttrString((PyObject *)Py_TYPE(o), "__name__");
        if (tn) {
            PyErr_Format(PyExc_TypeError, "order must be str, not %U", tn);
            Py_DECREF(tn);
        }
        return -1;
    }
    if (!PyUnicode_CompareWithASCIIString(o, "C") || !PyUnicode_CompareWithASCIIString(o, "c")) return 'C';
    if (!PyUnicode_CompareWithASCIIString(o, "F") || !PyUnicode_CompareWithASCIIString(o, "f")) return 'F';
    if (!PyUnicode_CompareWithASCIIString(o, "A") || !PyUnicode_CompareWithASCIIString(o, "a"))
        return (self->bits & GA_F_CONTIG) && !(self->bits & GA_C_CONTIG) ? 'F' : 'C';
    if (!PyUnicode_CompareWithASCIIString(o, "K") || !PyUnicode_CompareWithASCIIString(o, "k"))
        PyErr_SetString(PyExc_ValueError, "order 'K' is not permitted for reshaping");
    else
        PyErr_Format(PyExc_ValueError, "order must be one of 'C', 'F', 'A', or 'K' (got %R)", o);
    return -1;
}

static PyObject *m_reshape(PyObject *obj, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    GAArray *self = (GAArray *)obj;
    PyObject *order = NULL, *copy = Py_None;
    Py_ssize_t nk = kwnames ? PyTuple_Size(kwnames) : 0;
    for (Py_ssize_t i = 0; i < nk; i++) {
        PyObject *kn = PyTuple_GetItem(kwnames, i);
        if (PyUnicode_CompareWithASCIIString(kn, "order") == 0) {
            order = args[nargs + i];
        } else if (PyUnicode_CompareWithASCIIString(kn, "copy") == 0) {
            copy = args[nargs + i];
        } else {
            PyErr_Format(PyExc_TypeError, "%R is an invalid keyword argument for reshape()", kn);
            return NULL;
        }
    }
    int mode = 0; /* copy=None: a view when possible */
    if (copy != Py_None) {
        int t = PyObject_IsTrue(copy);
        if (t < 0) return NULL;
        mode = t ? 1 : 2;
    }
    if (nargs == 0) {
        PyErr_SetString(PyExc_TypeError, "reshape() takes exactly 1 argument (0 given)");
        return NULL;
    }
    int ord = reshape_order(self, order);
    if (ord < 0) return NULL;
    Py_ssize_t shape[64];
    int n = star_ints(args, nargs, shape, "shape");
    if (n == -1) return NULL;
    if (n == -2) { /* numpy: reshape(None) keeps the shape */
        n = self->ndim;
        memcpy(shape, self->dims, sizeof(Py_ssize_t) * (size_t)n);
    }
    return shape_op(self, 0, shape, n, ord | (mode << 8));
}

static PyObject *m_transpose(PyObject *obj, PyObject *const *args, Py_ssize_t nargs) {
    Py_ssize_t axes[64];
    int n = 0;
    if (nargs > 0) {
        n = star_ints(args, nargs, axes, "axes");
        if (n == -1) return NULL;
        if (n == -2) n = 0;
        else if (n == 0 && ((GAArray *)obj)->ndim > 0) {
            PyErr_SetString(PyExc_ValueError, "axes don't match array");
            return NULL;
        }
    }
    return shape_op((GAArray *)obj, 1, axes, n, 0);
}

static PyObject *get_T(PyObject *o, void *c) { return shape_op((GAArray *)o, 1, NULL, 0, 0); }

static PyObject *m_resize(PyObject *obj, PyObject *shape) {
    GAArray *self = (GAArray *)obj;
    if (self->base || !(self->bits & GA_OWNDATA)) {
        PyErr_SetString(PyExc_ValueError, "cannot resize this array: it does not own its data");
        return NULL;
    }
    if (self->bits & GA_PINNED) {
        PyErr_SetString(PyExc_BufferError,
                        "cannot resize an array whose address was published through __array_interface__");
        return NULL;
    }
    if (self->exports) {
        PyErr_Format(PyExc_BufferError,
                     "cannot resize an array with %zd live export%s (buffer views, numpy arrays, goarray views "
                     "or DLPack capsules)",
                     self->exports, self->exports == 1 ? "" : "s");
        return NULL;
    }
    Py_ssize_t buf[64];
    int n = parse_ints(shape, buf, 64, "new_shape");
    if (n < 0) return NULL;
    if (check_fork() < 0) return NULL;
    if (goaResize(self, buf, n) < 0) return NULL;
    Py_RETURN_NONE;
}

static PyObject *m_fill_bytes(PyObject *obj, PyObject *b) {
    GAArray *self = (GAArray *)obj;
    Py_buffer v;
    if (self->bits & GA_READONLY) {
        PyErr_SetString(PyExc_ValueError, "assignment destination is read-only");
        return NULL;
    }
    if (PyObject_GetBuffer(b, &v, PyBUF_SIMPLE) < 0) return NULL;
    int rc = check_fork();
    if (rc == 0) rc = goaFill(self, v.buf, v.len);
    PyBuffer_Release(&v);
    if (rc < 0) return NULL;
    Py_RETURN_NONE;
}

static PyObject *m_copy_from(PyObject *obj, PyObject *src) {
    if (!PyObject_TypeCheck(src, base_type)) {
        PyErr_SetString(PyExc_TypeError, "_copy_from needs a goarray.Array");
        return NULL;
    }
    if (((GAArray *)obj)->bits & GA_READONLY) {
        PyErr_SetString(PyExc_ValueError, "assignment destination is read-only");
        return NULL;
    }
    if (check_fork() < 0) return NULL;
    if (goaCopyInto((GAArray *)obj, (GAArray *)src) < 0) return NULL;
    Py_RETURN_NONE;
}

static PyObject *m_set_writeable(PyObject *obj, PyObject *flag) {
    GAArray *self = (GAArray *)obj;
    int w = PyObject_IsTrue(flag);
    if (w < 0) return NULL;
    if (w) {
        GAArray *owner = owner_of(self);
        if ((self->bits & GA_NO_WRITE) || (owner != self && (owner->bits & GA_READONLY))) {
            PyErr_SetString(PyExc_ValueError, "cannot set WRITEABLE flag to True of this array");
            return NULL;
        }
    }
    if (check_fork() < 0) return NULL;
    if (goaSetReadOnly(self, !w) < 0) return NULL;
    if (w) self->bits &= ~GA_READONLY;
    else self->bits |= GA_READONLY;
    Py_RETURN_NONE;
}

static PyObject *m_pin(PyObject *obj, PyObject *unused) {
    owner_of((GAArray *)obj)->bits |= GA_PINNED;
    Py_RETURN_NONE;
}

static PyObject *m_array_ufunc(PyObject *self, PyObject *args, PyObject *kw);

static PyMethodDef ga_methods[] = {
    {"_shape_op", m_shape_op, METH_VARARGS, NULL},
    {"reshape", (PyCFunction)(void (*)(void))m_reshape, METH_FASTCALL | METH_KEYWORDS,
     "reshape($self, *shape, order='C', copy=None)\n--\n\nGive a new shape: a view when the layout allows it, else a copy "
     "(numpy's reshape). One dimension may be -1."},
    {"transpose", (PyCFunction)(void (*)(void))m_transpose, METH_FASTCALL,
     "transpose($self, *axes)\n--\n\nPermute the axes (reverse them with no argument); returns a view."},
    {"_resize", m_resize, METH_O, NULL},
    {"_fill_bytes", m_fill_bytes, METH_O, NULL},
    {"_copy_from", m_copy_from, METH_O, NULL},
    {"_set_writeable", m_set_writeable, METH_O, NULL},
    {"_pin", m_pin, METH_NOARGS, NULL},
    {"__array_ufunc__", (PyCFunction)(void (*)(void))m_array_ufunc, METH_VARARGS | METH_KEYWORDS,
     "__array_ufunc__($self, ufunc, method, /, *inputs, **kwargs)\n--\n\nnumpy's ufunc protocol: every numpy ufunc "
     "and its methods accept goarray arrays (see goarray._protocols)."},
    /* DLPack (dlpack.c) */
    {"__dlpack__", (PyCFunction)(void (*)(void))ga_m_dlpack, METH_FASTCALL | METH_KEYWORDS,
     "__dlpack__($self, /, *, stream=None, max_version=None, dl_device=None, copy=None)\n--\n\n"
     "Export the array as a DLPack capsule (zero-copy; copy=True exports a fresh copy). It counts as an "
     "export of the array (resize refuses) until the consumer releases it."},
    {"__dlpack_device__", ga_m_dlpack_device, METH_NOARGS,
     "__dlpack_device__($self, /)\n--\n\nThe DLPack device of the array: (1, 0), the CPU."},
    {NULL}
};

/* Operators and __array_ufunc__ (defined with the fast kernels below). */
static PyObject *nb_add(PyObject *l, PyObject *r);
static PyObject *nb_subtract(PyObject *l, PyObject *r);
static PyObject *nb_multiply(PyObject *l, PyObject *r);
static PyObject *nb_true_divide(PyObject *l, PyObject *r);
static PyObject *nb_inplace_add(PyObject *l, PyObject *r);
static PyObject *nb_inplace_subtract(PyObject *l, PyObject *r);
static PyObject *nb_inplace_multiply(PyObject *l, PyObject *r);
static PyObject *nb_inplace_true_divide(PyObject *l, PyObject *r);

static PyObject *ga_tp_new(PyTypeObject *t, PyObject *a, PyObject *k) {
    PyErr_SetString(PyExc_TypeError,
                    "goarray.Array cannot be created directly; use goarray.empty, zeros, array, ...");
    return NULL;
}

static PyType_Slot ga_slots[] = {
    {Py_tp_dealloc, ga_dealloc},
    {Py_tp_new, ga_tp_new},
    {Py_tp_getset, ga_getset},
    {Py_tp_members, ga_members},
    {Py_tp_methods, ga_methods},
    {Py_bf_getbuffer, ga_getbuffer},
    {Py_bf_releasebuffer, ga_releasebuffer},
    {Py_mp_subscript, ga_subscript},
    {Py_mp_ass_subscript, ga_ass_subscript},
    {Py_mp_length, ga_length},
    {Py_sq_length, ga_length},
    {Py_nb_add, nb_add},
    {Py_nb_subtract, nb_subtract},
    {Py_nb_multiply, nb_multiply},
    {Py_nb_true_divide, nb_true_divide},
    {Py_nb_inplace_add, nb_inplace_add},
    {Py_nb_inplace_subtract, nb_inplace_subtract},
    {Py_nb_inplace_multiply, nb_inplace_multiply},
    {Py_nb_inplace_true_divide, nb_inplace_true_divide},
    {Py_tp_doc, "Base of goarray.Array: the Go-backed storage and the buffer protocol."},
    {0, NULL}
};

static PyType_Spec ga_spec = {
    "goarray._goarray._ArrayBase",
    sizeof(GAArray),
    0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    ga_slots,
};

/* ---- module functions ------------------------------------------------- */

static int resolve_dtype(PyObject *d) {
    if (d == NULL || d == Py_None) return 12; /* float64 */
    PyObject *code = PyDict_GetItemWithError(dtype_cache, d);
    if (!code) {
        if (PyErr_Occurred()) PyErr_Clear(); /* unhashable: resolve, don't cache */
        code = PyObject_CallFunctionObjArgs(dtype_resolver, d, NULL);
        if (!code) return -1;
        if (PyDict_Size(dtype_cache) < 512 && PyDict_SetItem(dtype_cache, d, code) < 0) PyErr_Clear();
        long v = PyLong_AsLong(code);
        Py_DECREF(code);
        return (int)v;
    }
    return (int)PyLong_AsLong(code);
}

/* numpy's order argument of empty/zeros: 'C'/'F' in either case. */
static int parse_order(PyObject *o) {
    if (!o || o == Py_None) return 'C';
    if (!PyUnicode_Check(o)) {
        PyObject *tn = PyObject_GetAttrString((PyObject *)Py_TYPE(o), "__name__");
        if (tn) {
            PyErr_Format(PyExc_TypeError, "order must be str, not %U", tn);
            Py_DECREF(tn);
        }
        return -1;
    }
    static const char *ok[] = {"C", "c", "F", "f"};
    for (int i = 0; i < 4; i++)
        if (PyUnicode_CompareWithASCIIString(o, ok[i]) == 0) return i < 2 ? 'C' : 'F';
    if (PyUnicode_CompareWithASCIIString(o, "A") == 0 || PyUnicode_CompareWithASCIIString(o, "K") == 0 ||
        PyUnicode_CompareWithASCIIString(o, "a") == 0 || PyUnicode_CompareWithASCIIString(o, "k") == 0)
        PyErr_SetString(PyExc_ValueError, "only 'C' or 'F' order is permitted");
    else
        PyErr_Format(PyExc_ValueError, "order must be one of 'C', 'F', 'A', or 'K' (got %R)", o);
    return -1;
}

/* empty/zeros(shape, dtype=None, order='C') */
static PyObject *make_new(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, int zero, const char *name) {
    PyObject *a[3] = {NULL, NULL, NULL};
    static const char *names[3] = {"shape", "dtype", "order"};
    if (nargs > 3) {
        PyErr_Format(PyExc_TypeError, "%s() takes at most 3 positional arguments (%zd given)", name, nargs);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) a[i] = args[i];
    Py_ssize_t nk = kwnames ? PyTuple_Size(kwnames) : 0;
    for (Py_ssize_t i = 0; i < nk; i++) {
        PyObject *kn = PyTuple_GetItem(kwnames, i);
        int j = 0;
        for (; j < 3; j++)
            if (PyUnicode_CompareWithASCIIString(kn, names[j]) == 0) break;
        if (j == 3 || a[j]) {
            PyErr_Format(PyExc_TypeError, j == 3 ? "%s() got an unexpected keyword argument %R"
                                                 : "%s() got multiple values for argument %R", name, kn);
            return NULL;
        }
        a[j] = args[nargs + i];
    }
    if (!a[0]) {
        PyErr_Format(PyExc_TypeError, "%s() missing required argument 'shape'", name);
        return NULL;
    }
    Py_ssize_t shape[64];
    int nd = parse_ints(a[0], shape, 64, "shape");
    if (nd < 0) return NULL;
    int dt = resolve_dtype(a[1]);
    if (dt < 0) return NULL;
    int order = parse_order(a[2]);
    if (order < 0) return NULL;
    if (check_fork() < 0) return NULL;
    GAArray *o = alloc_object();
    if (!o) return NULL;
    if (goaNew(o, dt, nd, shape, order, zero) < 0) {
        Py_DECREF(o);
        return NULL;
    }
    return (PyObject *)o;
}

static PyObject *f_empty(PyObject *m, PyObject *const *args, Py_ssize_t nargs, PyObject *kw) {
    return make_new(args, nargs, kw, 0, "empty");
}

static PyObject *f_zeros(PyObject *m, PyObject *const *args, Py_ssize_t nargs, PyObject *kw) {
    return make_new(args, nargs, kw, 1, "zeros");
}

/* _new_like(shape, strides, itemsize, dtype, zero): a new array whose memory
 * order follows the given strides of itemsize-byte elements (numpy's
 * order="K"). */
static PyObject *f_new_like(PyObject *m, PyObject *args) {
    PyObject *shape_o, *strides_o, *dtype_o;
    Py_ssize_t itemsize;
    int zero;
    if (!PyArg_ParseTuple(args, "OOnOp", &shape_o, &strides_o, &itemsize, &dtype_o, &zero)) return NULL;
    Py_ssize_t shape[64], strides[64];
    int nd = parse_ints(shape_o, shape, 64, "shape");
    if (nd < 0) return NULL;
    int ns = parse_ints(strides_o, strides, 64, "strides");
    if (ns < 0) return NULL;
    if (ns != nd) {
        PyErr_SetString(PyExc_ValueError, "shape and strides differ in length");
        return NULL;
    }
    int dt = resolve_dtype(dtype_o);
    if (dt < 0 || check_fork() < 0) return NULL;
    GAArray *o = alloc_object();
    if (!o) return NULL;
    if (goaNewLike(o, dt, nd, shape, strides, itemsize, zero) < 0) {
        Py_DECREF(o);
        return NULL;
    }
    return (PyObject *)o;
}

/* _new_strided(shape, strides, dtype): a new array with exactly these
 * (dense, non-negative) strides, to take over numpy results unchanged. */
static PyObject *f_new_strided(PyObject *m, PyObject *args) {
    PyObject *shape_o, *strides_o, *dtype_o;
    if (!PyArg_ParseTuple(args, "OOO", &shape_o, &strides_o, &dtype_o)) return NULL;
    Py_ssize_t shape[64], strides[64];
    int nd = parse_ints(shape_o, shape, 64, "shape");
    if (nd < 0) return NULL;
    int ns = parse_ints(strides_o, strides, 64, "strides");
    if (ns < 0) return NULL;
    if (ns != nd) {
        PyErr_SetString(PyExc_ValueError, "shape and strides differ in length");
        return NULL;
    }
    int dt = resolve_dtype(dtype_o);
    if (dt < 0 || check_fork() < 0) return NULL;
    GAArray *o = alloc_object();
    if (!o) return NULL;
    if (goaNewStrided(o, dt, nd, shape, strides) < 0) {
        Py_DECREF(o);
        return NULL;
    }
    return (PyObject *)o;
}

static PyObject *f_configure(PyObject *m, PyObject *args) {
    int zero_strides;
    if (!PyArg_ParseTuple(args, "p", &zero_strides)) return NULL;
    if (check_fork() < 0) return NULL;
    if (goaConfigure(zero_strides) < 0) return NULL;
    Py_RETURN_NONE;
}

/* ---- kernels ---------------------------------------------------------- */

#define GA_MAX_OPERANDS 8
/* Kernels whose largest operand holds fewer bytes than this keep the GIL:
 * releasing and retaking it (and the extra call into Go the released path
 * makes) costs more than the work: ~0.7 us against ~0.2 us for an add of
 * 1000 float64. */
#define GA_GIL_RELEASE_BYTES 16384

static unsigned long main_thread_ident;
static _Thread_local PyThreadState *kernel_tstate;

int ga_check_interrupt(void) {
    PyEval_RestoreThread(kernel_tstate);
    int r = PyErr_CheckSignals();
    kernel_tstate = PyEval_SaveThread();
    return r < 0;
}

/* The common case of "binary": three C-contiguous goarray arrays of one
 * dtype and shape, the output either aliasing an input exactly or not
 * overlapping it. Go then needs no layout at all. */
static int is_flat_binary(const char *name, GAOperand *ops, GAArray **arrs, int nops, int nints) {
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

/* _kernel(name, operands, writable, ints, floats, threads)
 *
 * operands: goarray arrays or any buffer exporters; bit i of writable says
 * operand i is written. goarray arrays are pinned (their owner's export
 * count raised, so resize refuses) and foreign buffers held until the
 * kernel returns. Large kernels run without the GIL. */
static PyObject *f_kernel(PyObject *m, PyObject *args) {
    const char *name;
    PyObject *ops_o, *ints_o, *floats_o;
    int writable, threads;
    if (!PyArg_ParseTuple(args, "sOiOOi", &name, &ops_o, &writable, &ints_o, &floats_o, &threads)) return NULL;
    if (!PyTuple_Check(ops_o) || !PyTuple_Check(ints_o) || !PyTuple_Check(floats_o)) {
        PyErr_SetString(PyExc_TypeError, "_kernel needs tuples of operands, ints and floats");
        return NULL;
    }
    if (check_fork() < 0) return NULL;
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
        if (PyObject_TypeCheck(o, base_type)) {
            GAArray *a = (GAArray *)o;
            if (w && (a->bits & GA_READONLY)) {
                PyErr_Format(PyExc_ValueError, "output array is read-only");
                ok = 0;
                break;
            }
            op->data = a->data;
            op->len = a->len;
            op->itemsize = a->itemsize;
            op->format = formats[a->dtype];
            op->ndim = a->ndim;
            op->shape = a->dims;
            op->strides = a->dims + a->ndim;
            op->readonly = (a->bits & GA_READONLY) != 0;
            op->dtype = a->dtype;
            arrs[n] = a;
            pinned[n] = owner_of(a);
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
        int kind = 0, rc;
        char err[1024];
        err[0] = 0;
        int flat = is_flat_binary(name, ops, arrs, (int)nops, (int)nints);
        int release = bytes >= GA_GIL_RELEASE_BYTES;
        int interruptible = release && PyThread_get_thread_ident() == main_thread_ident;
        if (release) kernel_tstate = PyEval_SaveThread();
        if (flat)
            rc = goaBinaryFlat((int)ints[0], ops[0].dtype, ops[0].data, ops[1].data, ops[2].data,
                               ops[0].len / ops[0].itemsize, 0, threads, interruptible, &kind, err, sizeof err);
        else
            rc = goaKernel((char *)name, ops, (int)nops, ints, (int)nints, floats, (int)nfl, threads,
                           interruptible, &kind, err, sizeof err);
        if (release) {
            PyEval_RestoreThread(kernel_tstate);
            kernel_tstate = NULL;
        }
        if (rc == 0) {
            result = Py_NewRef(Py_None);
        } else if (rc == 1) {
            if (!PyErr_Occurred()) PyErr_SetNone(PyExc_KeyboardInterrupt);
        } else {
            ga_raise(kind, err, (Py_ssize_t)strlen(err));
        }
    }
    for (Py_ssize_t i = 0; i < nops; i++) {
        if (held[i]) PyBuffer_Release(&views[i]);
        if (pinned[i]) pinned[i]->exports--;
    }
    return result;
}

/* from_buffer(obj, dtype=None): a goarray array viewing obj's memory in
 * place. The exporter's buffer is held (writable if the exporter allows
 * it) until the array and all its views are gone. */
static PyObject *f_from_buffer(PyObject *m, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    PyObject *obj = NULL, *dtype_o = Py_None;
    if (nargs > 2) {
        PyErr_SetString(PyExc_TypeError, "from_buffer() takes at most 2 positional arguments");
        return NULL;
    }
    if (nargs > 0) obj = args[0];
    if (nargs > 1) dtype_o = args[1];
    Py_ssize_t nk = kwnames ? PyTuple_Size(kwnames) : 0;
    for (Py_ssize_t i = 0; i < nk; i++) {
        PyObject *kn = PyTuple_GetItem(kwnames, i);
        if (PyUnicode_CompareWithASCIIString(kn, "dtype") == 0 && nargs < 2) dtype_o = args[nargs + i];
        else if (PyUnicode_CompareWithASCIIString(kn, "obj") == 0 && nargs < 1) obj = args[nargs + i];
        else {
            PyErr_Format(PyExc_TypeError, "from_buffer() got an unexpected keyword argument %R", kn);
            return NULL;
        }
    }
    if (!obj) {
        PyErr_SetString(PyExc_TypeError, "from_buffer() missing required argument 'obj'");
        return NULL;
    }
    int dt = 0;
    if (dtype_o != Py_None) {
        dt = resolve_dtype(dtype_o);
        if (dt < 0) return NULL;
    }
    if (check_fork() < 0) return NULL;
    Py_buffer *view = PyMem_Calloc(1, sizeof(Py_buffer));
    if (!view) return PyErr_NoMemory();
    if (PyObject_GetBuffer(obj, view, PyBUF_RECORDS) < 0) {
        if (!PyErr_ExceptionMatches(PyExc_BufferError) && !PyErr_ExceptionMatches(PyExc_ValueError)) {
            PyMem_Free(view);
            return NULL;
        }
        /* Read-only exporter (or one that refuses strided requests with
         * write access): ask again read-only. */
        PyErr_Clear();
        if (PyObject_GetBuffer(obj, view, PyBUF_RECORDS_RO) < 0) {
            PyMem_Free(view);
            return NULL;
        }
    }
    GAArray *o = alloc_object();
    if (!o) {
        PyBuffer_Release(view);
        PyMem_Free(view);
        return NULL;
    }
    o->foreign = view; /* released by dealloc from now on */
    GAOperand op = {view->buf, view->len, view->itemsize, view->format, view->shape, view->strides,
                    view->ndim, view->readonly, 0};
    if (goaFromBuffer(o, &op, dt) < 0) {
        Py_DECREF(o);
        return NULL;
    }
    /* A read-only exporter's memory may never be written through it. */
    if (view->readonly) o->bits |= GA_NO_WRITE | GA_READONLY;
    return (PyObject *)o;
}

PyObject *ga_from_buffer(PyObject *obj) { return f_from_buffer(NULL, &obj, 1, NULL); }

int ga_is_array(PyObject *obj) { return PyObject_TypeCheck(obj, base_type); }

/* _reduce_scalar(op, a, acc_dtype, threads): a full reduction of the
 * goarray array a into a numpy scalar, without allocating an output array:
 * the fast path of sum/min/max(a). Returns None when it does not apply
 * (the caller takes the general path). */
static PyObject *f_reduce_scalar(PyObject *m, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "_reduce_scalar(op, a, acc_dtype, threads)");
        return NULL;
    }
    long op = PyLong_AsLong(args[0]), acc = PyLong_AsLong(args[2]), threads = PyLong_AsLong(args[3]);
    if (PyErr_Occurred()) return NULL;
    if (!PyObject_TypeCheck(args[1], base_type) || acc < 1 || acc > 14 || acc == 10) Py_RETURN_NONE;
    if (check_fork() < 0) return NULL;
    GAArray *a = (GAArray *)args[1];
    double out[2] = {0, 0};
    Py_ssize_t isz = dtype_itemsize(acc);
    GAOperand ops[2] = {
        {(char *)out, isz, isz, formats[acc], NULL, NULL, 0, 0, (int)acc},
        {a->data, a->len, a->itemsize, formats[a->dtype], a->dims, a->dims + a->ndim, a->ndim,
         (a->bits & GA_READONLY) != 0, a->dtype},
    };
    Py_ssize_t ints[1 + 64];
    ints[0] = op;
    for (int i = 0; i < a->ndim; i++) ints[1 + i] = i;
    GAArray *owner = owner_of(a);
    owner->exports++;
    int kind = 0, rc;
    char err[1024];
    err[0] = 0;
    if (a->len >= GA_GIL_RELEASE_BYTES) {
        int interruptible = PyThread_get_thread_ident() == main_thread_ident;
        kernel_tstate = PyEval_SaveThread();
        rc = goaKernel("reduce", ops, 2, ints, 1 + a->ndim, NULL, 0, (int)threads, interruptible, &kind, err, sizeof err);
        PyEval_RestoreThread(kernel_tstate);
        kernel_tstate = NULL;
    } else {
        rc = goaKernel("reduce", ops, 2, ints, 1 + a->ndim, NULL, 0, (int)threads, 0, &kind, err, sizeof err);
    }
    owner->exports--;
    if (rc == 1) {
        if (!PyErr_Occurred()) PyErr_SetNone(PyExc_KeyboardInterrupt);
        return NULL;
    }
    if (rc != 0) {
        ga_raise(kind, err, (Py_ssize_t)strlen(err));
        return NULL;
    }
    PyObject *r = scalar_from((int)acc, (const char *)out, 0);
    if (!r && !PyErr_Occurred()) Py_RETURN_NONE;
    return r;
}

/* ---- fast entry points -------------------------------------------------
 *
 * goarray.sum, min, max, prod, all, any and add, subtract, multiply,
 * divide, minimum, maximum are C functions whose self is the Python
 * implementation (goarray/_reductions.py, _kernels.py). The commonest call,
 * f(a) on one C-contiguous goarray array (f(a, b) on two of one dtype and
 * shape for the elementwise ones), is computed here with one call into Go;
 * every other call is handed to the Python implementation unchanged. The
 * results are the same either way: the Python path runs the same kernels. */

/* Run call (a kernel export taking an `interruptible` argument that sets
 * rc) without the GIL when release is true; only then, and only on the main
 * thread, may the kernel poll for Ctrl-C. */
#define GA_RUN_KERNEL(release, call)                                                    \
    do {                                                                                \
        int interruptible = (release) && PyThread_get_thread_ident() == main_thread_ident; \
        if (release) kernel_tstate = PyEval_SaveThread();                              \
        call;                                                                           \
        if (release) {                                                                  \
            PyEval_RestoreThread(kernel_tstate);                                        \
            kernel_tstate = NULL;                                                       \
        }                                                                               \
    } while (0)

/* A kernel export's return code as a Python outcome: 0 on success, else -1
 * with KeyboardInterrupt (rc 1) or the kernel's error raised. */
static int kernel_result(int rc, int kind, const char *err) {
    if (rc == 0) return 0;
    if (rc == 1) {
        if (!PyErr_Occurred()) PyErr_SetNone(PyExc_KeyboardInterrupt);
    } else {
        ga_raise(kind, err, (Py_ssize_t)strlen(err));
    }
    return -1;
}

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

/* A fast-path operand: a goarray array (exactly goarray.Array) or a numpy
 * array (exactly numpy.ndarray) whose elements are one C-contiguous,
 * aligned run of a native dtype. Returns 1 and fills *f (a numpy array's
 * buffer is held until flat_release), 0 if the operand does not qualify (no
 * exception set), -1 on error. */
typedef struct {
    char *data;
    Py_ssize_t n, len;
    int dtype, ndim;
    Py_ssize_t *shape;
    GAArray *pinned;
    Py_buffer view;
    int held;
} FlatOperand;

static int flat_operand(PyObject *o, FlatOperand *f) {
    memset(f, 0, sizeof *f);
    if (Py_TYPE(o) == array_type) {
        GAArray *a = (GAArray *)o;
        if (!(a->bits & GA_C_CONTIG)) return 0;
        f->data = a->data;
        f->len = a->len;
        f->n = a->len / a->itemsize;
        f->dtype = a->dtype;
        f->ndim = a->ndim;
        f->shape = a->dims;
        f->pinned = owner_of(a);
        f->pinned->exports++; /* pinned: a concurrent resize refuses */
        return 1;
    }
    if (!ndarray_type || Py_TYPE(o) != ndarray_type) return 0;
    if (PyObject_GetBuffer(o, &f->view, PyBUF_RECORDS_RO) < 0) {
        PyErr_Clear(); /* numpy refuses (datetime, object, ...): the general path says why */
        return 0;
    }
    f->held = 1;
    int dt = 0;
    for (int d = 1; d < 16 && f->view.format; d++)
        if (formats[d] && strcmp(formats[d], f->view.format) == 0) {
            dt = d;
            break;
        }
    if (!dt || f->view.itemsize != dtype_itemsize(dt) || !PyBuffer_IsContiguous(&f->view, 'C') ||
        ((uintptr_t)f->view.buf % (uintptr_t)(dt >= 13 ? f->view.itemsize / 2 : f->view.itemsize)) != 0) {
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

/* numpy's result dtype of a full reduction without dtype=, or 0 where the
 * fast path does not apply (float16 and the rest: the Python path). op 6
 * is mean: the sum's dtype, float64 for booleans and integers. */
static int fast_reduce_acc(int op, int dt) {
    if (dt == 10) return op == 4 || op == 5 ? 1 : 0;
    switch (op) {
    case 0: case 3: /* sum, prod: booleans and small ints widen to 64 bits */
        if (dt >= 1 && dt <= 4) return 5;
        if (dt >= 6 && dt <= 8) return 9;
        return dt;
    case 1: case 2: return dt; /* min, max */
    case 4: case 5: return 1;  /* all, any */
    case 6: return dt <= 9 ? 12 : dt == 11 || dt == 12 ? dt : 0; /* mean: complex by Python */
    }
    return 0;
}

/* A full reduction (op: core.ReduceOp, or 6 for mean) of one fast-path
 * operand into a numpy scalar. mean is the pairwise sum divided by the
 * count in double, rounded to the result dtype: numpy's
 * result_dt.type(sum / intp(n)); an empty mean takes the Python path (its
 * warning). */
static PyObject *fast_reduce(int op, PyObject *fallback, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    if (nargs != 1 || kwnames || ga_forked) return call_fallback(fallback, args, nargs, kwnames);
    FlatOperand f;
    int ok = flat_operand(args[0], &f);
    if (ok < 0) return NULL;
    int acc = ok && !(op == 6 && f.n == 0) ? fast_reduce_acc(op, f.dtype) : 0;
    if (acc == 0) {
        flat_release(&f);
        return call_fallback(fallback, args, nargs, kwnames);
    }
    double out[2] = {0, 0};
    int kind = 0, rc;
    char err[1024];
    err[0] = 0;
    int kop = op == 6 ? 0 : op;
    GA_RUN_KERNEL(f.len >= GA_GIL_RELEASE_BYTES,
                  rc = goaReduceFlat(kop, acc, f.dtype, f.data, f.n, out, 0, interruptible, &kind, err, sizeof err));
    Py_ssize_t n = f.n;
    flat_release(&f);
    if (kernel_result(rc, kind, err) < 0) return NULL;
    if (op == 6 && acc == 11) {
        float s32;
        memcpy(&s32, out, sizeof s32);
        s32 = (float)((double)s32 / (double)n);
        memcpy(out, &s32, sizeof s32);
    } else if (op == 6) {
        out[0] /= (double)n;
    }
    PyObject *r = scalar_from(acc, (const char *)out, 0);
    if (!r && !PyErr_Occurred()) return call_fallback(fallback, args, nargs, kwnames);
    return r;
}

/* The dtypes of the layout-free binary kernels (_kernels._FAST_BINARY):
 * no bool or float16; divide on floats only; no complex minimum/maximum. */
static int fast_binary_dtype(int op, int dt) {
    if (dt <= 1 || dt == 10 || dt > 14) return 0;
    if (op == 3) return dt >= 11;
    if (op >= 4) return dt <= 12;
    return 1;
}

/* Python scalar operands of the fast binary kernels: which side is the
 * scalar (goaBinaryFlat's mode). */
#define GA_SCALAR_NONE 0
#define GA_SCALAR_RIGHT 1
#define GA_SCALAR_LEFT 2

/* The bytes of Python scalar s (exactly bool, int, float or complex) as an
 * element of dtype dt, where NEP 50 makes dt the result dtype of dt op s
 * and the conversion is exact numpy behaviour: 1 with *out filled, 0 where
 * the general path must decide (another result dtype, an int out of the
 * dtype's range: numpy's OverflowError; a finite float beyond float32:
 * numpy's overflow warning), -1 on error. */
static int scalar_as(PyObject *s, int dt, char *out) {
    int is_int = PyLong_CheckExact(s) || PyBool_Check(s);
    int fl = dt == 11 || dt == 12, cx = dt == 13 || dt == 14;
    if (is_int && dt >= 2 && dt <= 9) {
        if (dt <= 5) {
            int overflow = 0;
            long long v = PyLong_AsLongLongAndOverflow(s, &overflow);
            if (v == -1 && PyErr_Occurred()) return -1;
            static const long long lim[] = {0, 0, 127, 32767, 2147483647, 0};
            if (overflow || (dt < 5 && (v > lim[dt] || v < -lim[dt] - 1))) return 0;
            switch (dt) {
            case 2: *(int8_t *)out = (int8_t)v; break;
            case 3: *(int16_t *)out = (int16_t)v; break;
            case 4: *(int32_t *)out = (int32_t)v; break;
            default: *(int64_t *)out = (int64_t)v; break;
            }
            return 1;
        }
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(s, &overflow);
        if (v == -1 && PyErr_Occurred()) return -1;
        unsigned long long u;
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
        static const unsigned long long ulim[] = {0, 0, 0, 0, 0, 0, 255, 65535, 4294967295ULL};
        if (dt < 9 && u > ulim[dt]) return 0;
        switch (dt) {
        case 6: *(uint8_t *)out = (uint8_t)u; break;
        case 7: *(uint16_t *)out = (uint16_t)u; break;
        case 8: *(uint32_t *)out = (uint32_t)u; break;
        default: *(uint64_t *)out = (uint64_t)u; break;
        }
        return 1;
    }
    double re, im = 0;
    if (is_int && (fl || cx)) {
        /* ints a double holds exactly (|v| <= 2**53): no double rounding */
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(s, &overflow);
        if (v == -1 && PyErr_Occurred()) return -1;
        if (overflow || v > (1LL << 53) || v < -(1LL << 53)) return 0;
        re = (double)v;
    } else if (PyFloat_CheckExact(s) && (fl || cx)) {
        re = PyFloat_AsDouble(s);
    } else if (PyComplex_CheckExact(s) && cx) {
        re = PyComplex_RealAsDouble(s);
        im = PyComplex_ImagAsDouble(s);
    } else {
        return 0;
    }
    if (dt == 11 || dt == 13) {
        const double big = 3.4028234663852886e38;
        if ((re - re == 0 && (re > big || re < -big)) || (im - im == 0 && (im > big || im < -big))) return 0;
        ((float *)out)[0] = (float)re;
        if (dt == 13) ((float *)out)[1] = (float)im;
    } else {
        ((double *)out)[0] = re;
        if (dt == 14) ((double *)out)[1] = im;
    }
    return 1;
}

static int is_py_scalar(PyObject *o) {
    return PyFloat_CheckExact(o) || PyLong_CheckExact(o) || PyBool_Check(o) || PyComplex_CheckExact(o);
}

/* The out= of a fast binary call: a writable C-contiguous goarray array of
 * the operands' dtype and shape that is one of them or overlaps neither. */
static GAArray *fast_out(PyObject *o, FlatOperand *fx, FlatOperand *fy) {
    if (Py_TYPE(o) != array_type) return NULL;
    GAArray *a = (GAArray *)o;
    if (!(a->bits & GA_C_CONTIG) || (a->bits & GA_READONLY) || a->dtype != fx->dtype || a->ndim != fx->ndim ||
        memcmp(a->dims, fx->shape, sizeof(Py_ssize_t) * (size_t)a->ndim) != 0)
        return NULL;
    FlatOperand *ins[2] = {fx, fy};
    for (int i = 0; i < 2; i++) {
        if (!ins[i]) continue;
        char *x = ins[i]->data;
        if (x != a->data && x < a->data + a->len && a->data < x + a->len) return NULL;
    }
    return a;
}

/* binary_flat: x op y (into out_o when not NULL) when both operands are
 * fast-path arrays of one dtype and shape (flat_operand), or one is and
 * the other a Python scalar that keeps its dtype (scalar_as), with at least
 * min_ndim dimensions. *handled is 0 (nothing done, no exception) where
 * the general path must run; otherwise the result (out_o itself, or a new
 * array), or NULL with the exception set. */
static PyObject *binary_flat(int op, PyObject *x, PyObject *y, PyObject *out_o, int min_ndim, int *handled) {
    *handled = 0;
    if (ga_forked || (out_o && Py_TYPE(out_o) != array_type)) return NULL;
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
        if (is_py_scalar(so) && fast_binary_dtype(op, fa->dtype)) {
            usable = scalar_as(so, fa->dtype, sbuf);
            if (usable < 0) {
                flat_release(&fx);
                flat_release(&fy);
                *handled = 1;
                return NULL;
            }
        }
    }
    if (!usable || !fast_binary_dtype(op, fa->dtype) || fa->ndim < min_ndim) {
        flat_release(&fx);
        flat_release(&fy);
        return NULL;
    }
    *handled = 1;
    char *xd = mode == GA_SCALAR_LEFT ? sbuf : fx.data, *yd = mode == GA_SCALAR_RIGHT ? sbuf : fy.data;
    int release = fa->len >= GA_GIL_RELEASE_BYTES; /* the largest operand: every one is fa->len bytes */
    GAArray *o, *pinned = NULL;
    int rc = -1; /* -1: failed with the exception set; 2: o is ready for the kernel */
    if (out_o) {
        o = fast_out(out_o, fa, mode == GA_SCALAR_NONE ? &fy : NULL);
        if (!o) {
            flat_release(&fx);
            flat_release(&fy);
            *handled = 0;
            return NULL;
        }
        Py_INCREF((PyObject *)o);
        pinned = owner_of(o);
        pinned->exports++;
        rc = 2;
    } else {
        o = alloc_object();
        if (o && !release) /* small: allocate and compute in one call into Go */
            rc = goaNewBinary(o, op, fa->dtype, fa->ndim, fa->shape, xd, yd, fa->n, mode) == 0 ? 0 : -1;
        else if (o && goaNew(o, fa->dtype, fa->ndim, fa->shape, 'C', 0) == 0)
            rc = 2;
    }
    if (rc == 2) {
        int kind = 0;
        char err[1024];
        err[0] = 0;
        GA_RUN_KERNEL(release, rc = goaBinaryFlat(op, fa->dtype, o->data, xd, yd, fa->n, mode, 0, interruptible,
                                                  &kind, err, sizeof err));
        rc = kernel_result(rc, kind, err);
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
    PyObject *r = binary_flat(op, args[0], args[1], out_o, 0, &handled);
    if (handled) return r;
    return call_fallback(fallback, args, nargs, kwnames);
}

/* The operators + - * / and their in-place forms, and __array_ufunc__,
 * start here: two fast-path arrays of one dtype and shape, or one and a
 * Python scalar keeping its dtype, go straight to Go; everything else (and
 * 0-d results, which numpy returns as scalars) to the Python protocol
 * functions registered by _register_protocols (goarray/_protocols.py). */
static PyObject *py_binop, *py_inplace, *py_array_ufunc;
static PyObject *fast_ufuncs[6]; /* numpy.add, subtract, multiply, true_divide, minimum, maximum */
static const char *const op_names[] = {"add", "sub", "mul", "truediv"};

static PyObject *nb_binary(int op, PyObject *l, PyObject *r) {
    if (!py_binop) Py_RETURN_NOTIMPLEMENTED;
    int handled;
    PyObject *res = binary_flat(op, l, r, NULL, 1, &handled);
    if (handled) return res;
    return PyObject_CallFunction(py_binop, "sOO", op_names[op], l, r);
}

static PyObject *nb_inplace(int op, PyObject *l, PyObject *r) {
    if (!py_inplace) Py_RETURN_NOTIMPLEMENTED;
    int handled;
    PyObject *res = binary_flat(op, l, r, l, 1, &handled);
    if (handled) return res;
    return PyObject_CallFunction(py_inplace, "sOO", op_names[op], l, r);
}

static PyObject *nb_add(PyObject *l, PyObject *r) { return nb_binary(0, l, r); }
static PyObject *nb_subtract(PyObject *l, PyObject *r) { return nb_binary(1, l, r); }
static PyObject *nb_multiply(PyObject *l, PyObject *r) { return nb_binary(2, l, r); }
static PyObject *nb_true_divide(PyObject *l, PyObject *r) { return nb_binary(3, l, r); }
static PyObject *nb_inplace_add(PyObject *l, PyObject *r) { return nb_inplace(0, l, r); }
static PyObject *nb_inplace_subtract(PyObject *l, PyObject *r) { return nb_inplace(1, l, r); }
static PyObject *nb_inplace_multiply(PyObject *l, PyObject *r) { return nb_inplace(2, l, r); }
static PyObject *nb_inplace_true_divide(PyObject *l, PyObject *r) { return nb_inplace(3, l, r); }

/* __array_ufunc__(ufunc, method, *inputs, **kwargs): ufunc(x, y) and
 * ufunc(x, y, out=(o,)) of the six fast ufuncs in C, the rest in Python. */
static PyObject *m_array_ufunc(PyObject *self, PyObject *args, PyObject *kw) {
    if (!py_array_ufunc) {
        PyErr_SetString(PyExc_RuntimeError, "goarray: __array_ufunc__ before the package registered its protocols");
        return NULL;
    }
    Py_ssize_t n = PyTuple_Size(args);
    Py_ssize_t nkw = kw ? PyDict_Size(kw) : 0;
    if (n == 4 && nkw <= 1) {
        PyObject *uf = PyTuple_GetItem(args, 0), *method = PyTuple_GetItem(args, 1);
        int op = -1;
        for (int i = 0; i < 6; i++)
            if (fast_ufuncs[i] == uf) op = i;
        PyObject *out = NULL;
        if (nkw == 1) {
            PyObject *o = PyDict_GetItemString(kw, "out"); /* borrowed */
            if (o && PyTuple_Check(o) && PyTuple_Size(o) == 1) out = PyTuple_GetItem(o, 0);
            else op = -1;
        }
        if (op >= 0 && PyUnicode_Check(method) && PyUnicode_CompareWithASCIIString(method, "__call__") == 0) {
            int handled;
            PyObject *res = binary_flat(op, PyTuple_GetItem(args, 2), PyTuple_GetItem(args, 3), out, 1, &handled);
            if (handled) return res;
        }
    }
    PyObject *full = PyTuple_New(n + 1);
    if (!full) return NULL;
    Py_INCREF(self);
    PyTuple_SetItem(full, 0, self);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *it = PyTuple_GetItem(args, i);
        Py_INCREF(it);
        PyTuple_SetItem(full, i + 1, it);
    }
    PyObject *res = PyObject_Call(py_array_ufunc, full, kw);
    Py_DECREF(full);
    return res;
}

/* _register_protocols(binop, inplace, array_ufunc, (add, subtract,
 * multiply, true_divide, minimum, maximum)) */
static PyObject *f_register_protocols(PyObject *m, PyObject *args) {
    PyObject *b, *i, *u, *ufs;
    if (!PyArg_ParseTuple(args, "OOOO", &b, &i, &u, &ufs)) return NULL;
    if (!PyTuple_Check(ufs) || PyTuple_Size(ufs) != 6) {
        PyErr_SetString(PyExc_TypeError, "_register_protocols needs a tuple of the 6 fast ufuncs");
        return NULL;
    }
    SETREF(py_binop, Py_NewRef(b));
    SETREF(py_inplace, Py_NewRef(i));
    SETREF(py_array_ufunc, Py_NewRef(u));
    for (int k = 0; k < 6; k++) SETREF(fast_ufuncs[k], Py_NewRef(PyTuple_GetItem(ufs, k)));
    Py_RETURN_NONE;
}

/* scale(a, s): a C-contiguous writable float32/float64 goarray array times
 * a Python float or int (not bool) that the dtype holds, as numpy's a *= s. */
static PyObject *scale_fast(int op, PyObject *fallback, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    (void)op;
    if (nargs != 2 || kwnames || ga_forked || Py_TYPE(args[0]) != array_type)
        return call_fallback(fallback, args, nargs, kwnames);
    GAArray *a = (GAArray *)args[0];
    PyObject *so = args[1];
    if ((a->dtype != 11 && a->dtype != 12) || !(a->bits & GA_C_CONTIG) || (a->bits & GA_READONLY) ||
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
    if (a->dtype == 11 && f - f == 0 && (f > 3.4028234663852886e38 || f < -3.4028234663852886e38))
        return call_fallback(fallback, args, nargs, kwnames); /* finite but beyond float32: numpy's path */
    GAArray *owner = owner_of(a);
    owner->exports++;
    int kind = 0, rc;
    char err[1024];
    err[0] = 0;
    GA_RUN_KERNEL(a->len >= GA_GIL_RELEASE_BYTES,
                  rc = goaScaleFlat(a->dtype, a->data, a->len / a->itemsize, f, 0, interruptible, &kind, err,
                                    sizeof err));
    owner->exports--;
    if (kernel_result(rc, kind, err) < 0) return NULL;
    return Py_NewRef(args[0]);
}

#define GA_FAST(name, kind, op)                                                                        \
    static PyObject *fast_##name(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kw) { \
        return kind(op, self, args, nargs, kw);                                                        \
    }
GA_FAST(sum, fast_reduce, 0)
GA_FAST(min, fast_reduce, 1)
GA_FAST(max, fast_reduce, 2)
GA_FAST(prod, fast_reduce, 3)
GA_FAST(all, fast_reduce, 4)
GA_FAST(any, fast_reduce, 5)
GA_FAST(add, fast_binary, 0)
GA_FAST(subtract, fast_binary, 1)
GA_FAST(multiply, fast_binary, 2)
GA_FAST(divide, fast_binary, 3)
GA_FAST(minimum, fast_binary, 4)
GA_FAST(maximum, fast_binary, 5)
GA_FAST(scale, scale_fast, 0)
GA_FAST(mean, fast_reduce, 6)

#define GA_FAST_DEF(name) {#name, (PyCFunction)(void (*)(void))fast_##name, METH_FASTCALL | METH_KEYWORDS, NULL}
static PyMethodDef fast_defs[] = {
    GA_FAST_DEF(sum), GA_FAST_DEF(min), GA_FAST_DEF(max), GA_FAST_DEF(prod), GA_FAST_DEF(all),
    GA_FAST_DEF(any), GA_FAST_DEF(add), GA_FAST_DEF(subtract), GA_FAST_DEF(multiply),
    GA_FAST_DEF(divide), GA_FAST_DEF(minimum), GA_FAST_DEF(maximum), GA_FAST_DEF(scale), GA_FAST_DEF(mean), {NULL},
};

/* _fast(name, impl, doc): the C entry point of goarray.<name>, falling
 * back to impl; doc is its docstring with impl's text signature
 * ("name($impl, a, axis=None, ...)\n--\n\n..."), which inspect reads. */
static PyObject *f_fast(PyObject *m, PyObject *args) {
    const char *name, *doc;
    PyObject *impl;
    if (!PyArg_ParseTuple(args, "sOs", &name, &impl, &doc)) return NULL;
    for (PyMethodDef *d = fast_defs; d->ml_name; d++) {
        if (strcmp(d->ml_name, name) != 0) continue;
        if (!d->ml_doc) {
            d->ml_doc = strdup(doc); /* lives as long as the process, as the def */
            if (!d->ml_doc) return PyErr_NoMemory();
        }
        return PyCFunction_NewEx(d, impl, NULL);
    }
    PyErr_Format(PyExc_ValueError, "_fast: no fast entry point %s", name);
    return NULL;
}

static PyObject *f_set_num_threads(PyObject *m, PyObject *arg) {
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred()) return NULL;
    if (check_fork() < 0) return NULL;
    int r = goaSetNumThreads((int)n);
    if (r < 0) return NULL;
    return PyLong_FromLong(r);
}

static PyObject *f_get_num_threads(PyObject *m, PyObject *unused) {
    if (check_fork() < 0) return NULL;
    int r = goaNumThreads();
    if (r < 0) return NULL;
    return PyLong_FromLong(r);
}

/* _register(array_type, dtypes, resolver, to_scalar, adv_get, adv_set, ndarray, main_thread_ident) */
static PyObject *f_register(PyObject *m, PyObject *args) {
    PyObject *tp, *dts, *res, *sc, *ag, *ast, *nd;
    unsigned long main_ident;
    if (!PyArg_ParseTuple(args, "OOOOOOOk", &tp, &dts, &res, &sc, &ag, &ast, &nd, &main_ident)) return NULL;
    main_thread_ident = main_ident;
    if (!PyType_Check(nd)) {
        PyErr_SetString(PyExc_TypeError, "ndarray must be a type");
        return NULL;
    }
    SETREF(ndarray_type, (PyTypeObject *)Py_NewRef(nd));
    if (!PyType_Check(tp) || !PyType_IsSubtype((PyTypeObject *)tp, base_type)) {
        PyErr_SetString(PyExc_TypeError, "array type must subclass _ArrayBase");
        return NULL;
    }
    Py_ssize_t n = PySequence_Size(dts);
    if (n < 0) return NULL;
    for (Py_ssize_t i = 0; i < n && i < 16; i++) {
        PyObject *d = PySequence_GetItem(dts, i);
        if (!d) return NULL;
        SETREF(dtype_objs[i], d);
        if (d != Py_None) {
            PyObject *t = PyObject_GetAttrString(d, "type");
            if (!t) return NULL;
            SETREF(scalar_types[i], t);
        }
    }
    Py_INCREF(tp);
    SETREF(array_type, (PyTypeObject *)tp);
    SETREF(dtype_resolver, Py_NewRef(res));
    SETREF(to_scalar, Py_NewRef(sc));
    SETREF(adv_getitem, Py_NewRef(ag));
    SETREF(adv_setitem, Py_NewRef(ast));
    Py_RETURN_NONE;
}

static PyObject *f_allocated(PyObject *m, PyObject *unused) {
    if (check_fork() < 0) return NULL;
    flush_free_queue();
    long long n = goaAllocated();
    if (n < 0) return NULL;
    return PyLong_FromLongLong(n);
}

static PyObject *f_live_handles(PyObject *m, PyObject *unused) {
    if (check_fork() < 0) return NULL;
    flush_free_queue();
    long long n = goaLiveHandles();
    if (n < 0) return NULL;
    return PyLong_FromLongLong(n);
}

static PyObject *f_info(PyObject *m, PyObject *arg) {
    int what = (int)PyLong_AsLong(arg);
    if (what == -1 && PyErr_Occurred()) return NULL;
    if (check_fork() < 0) return NULL;
    char buf[512];
    goaInfo(what, buf, sizeof buf);
    return PyUnicode_FromString(buf);
}

/* _check_request(bits, flags) -> None if granted, else pybuf's reason. */
static PyObject *f_check_request(PyObject *m, PyObject *args) {
    unsigned int bits;
    int flags;
    if (!PyArg_ParseTuple(args, "Ii", &bits, &flags)) return NULL;
    if (check_fork() < 0) return NULL;
    char buf[512];
    int rc = goaCheckRequest(bits, flags, buf, sizeof buf);
    if (rc == -2) return NULL;
    if (rc == 0) Py_RETURN_NONE;
    return PyUnicode_FromString(buf);
}

static PyObject *f_panic(PyObject *m, PyObject *unused) {
    if (check_fork() < 0) return NULL;
    return goaPanic();
}

static PyObject *f_forked(PyObject *m, PyObject *unused) { return PyBool_FromLong(ga_forked); }
PyObject *ga_f_forked_wrap(PyObject *m, PyObject *args); /* forked.c */

static PyMethodDef module_methods[] = {
    {"empty", (PyCFunction)(void (*)(void))f_empty, METH_FASTCALL | METH_KEYWORDS,
     "empty(shape, dtype=None, order='C')\n--\n\nA new Go-backed array without initialising entries."},
    {"zeros", (PyCFunction)(void (*)(void))f_zeros, METH_FASTCALL | METH_KEYWORDS,
     "zeros(shape, dtype=None, order='C')\n--\n\nA new Go-backed array of zeros."},
    {"_register", f_register, METH_VARARGS, NULL},
    {"_register_protocols", f_register_protocols, METH_VARARGS, NULL},
    {"_kernel", f_kernel, METH_VARARGS, NULL},
    {"_reduce_scalar", (PyCFunction)(void (*)(void))f_reduce_scalar, METH_FASTCALL, NULL},
    {"_fast", f_fast, METH_VARARGS, NULL},
    {"from_buffer", (PyCFunction)(void (*)(void))f_from_buffer, METH_FASTCALL | METH_KEYWORDS,
     "from_buffer(obj, dtype=None)\n--\n\nA goarray array that views the memory of any buffer exporter in "
     "place (no copy), with its shape, strides and format. It holds the exporter's buffer while it lives and "
     "is writable iff the exporter is. dtype= reinterprets the bytes as view(dtype) does."},
    {"from_dlpack", (PyCFunction)(void (*)(void))ga_f_from_dlpack, METH_FASTCALL | METH_KEYWORDS,
     "from_dlpack(x, /, *, device=None, copy=None)\n--\n\nA goarray array that views the memory of any DLPack "
     "producer in place (no copy), with its shape, strides and dtype; read-only if the producer says so. The "
     "producer's deleter runs once the array and all its views are gone. copy=True returns a Go-backed copy."},
    {"_set_num_threads", f_set_num_threads, METH_O, NULL},
    {"_get_num_threads", f_get_num_threads, METH_NOARGS, NULL},
    {"_new_like", f_new_like, METH_VARARGS, NULL},
    {"_new_strided", f_new_strided, METH_VARARGS, NULL},
    {"_configure", f_configure, METH_VARARGS, NULL},
    {"_allocated", f_allocated, METH_NOARGS, NULL},
    {"_live_handles", f_live_handles, METH_NOARGS, NULL},
    {"_info", f_info, METH_O, NULL},
    {"_check_request", f_check_request, METH_VARARGS, NULL},
    {"_panic", f_panic, METH_NOARGS, NULL},
    {"_forked", f_forked, METH_NOARGS, NULL},
    {"_forked_wrap", ga_f_forked_wrap, METH_VARARGS, NULL},
    {NULL}
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "_goarray",
    "Go-backed N-d arrays: the compiled core of goarray.", -1, module_methods,
};

/* Another Go runtime in the process (golang/go#65050): look for cgo's
 * crosscall2 in every loaded object but this one. Objects loaded later
 * cannot be seen from here. */
struct go_scan { const char *self; char found[512]; };

static int scan_object(struct dl_phdr_info *info, size_t size, void *data) {
    struct go_scan *s = data;
    const char *name = info->dlpi_name;
    if (!name || !name[0] || (s->self && strcmp(name, s->self) == 0)) return 0;
    void *h = dlopen(name, RTLD_LAZY | RTLD_NOLOAD);
    if (!h) return 0;
    int go = dlsym(h, "crosscall2") != NULL || dlsym(h, "_cgo_topofstack") != NULL;
    dlclose(h);
    if (go) {
        strncpy(s->found, name, sizeof s->found - 1);
        return 1;
    }
    return 0;
}

static int warn_other_go_runtime(void) {
    struct go_scan s = {NULL, {0}};
    Dl_info me;
    if (dladdr((void *)&warn_other_go_runtime, &me) && me.dli_fname) s.self = me.dli_fname;
    dl_iterate_phdr(scan_object, &s);
    if (s.found[0])
        return PyErr_WarnFormat(PyExc_RuntimeWarning, 1,
                                "goarray: another Go runtime is loaded in this process (%s). Go does not "
                                "support two Go-built shared libraries in one process (golang/go#65050); "
                                "it may work on Linux but is unsupported.", s.found);
    return 0;
}

PyMODINIT_FUNC PyInit__goarray(void) {
    /* Waits for the Go runtime to finish starting (c-archive initialises it
     * on a background thread) and fills the format tables. */
    if (goaInit() != 0) return NULL;
    PyObject *m = PyModule_Create(&module_def);
    if (!m) return NULL;
    base_type = (PyTypeObject *)PyType_FromSpec(&ga_spec);
    if (!base_type) goto fail;
    array_type = (PyTypeObject *)Py_NewRef((PyObject *)base_type);
    dtype_cache = PyDict_New();
    if (!dtype_cache) goto fail;
    if (PyModule_AddObjectRef(m, "_ArrayBase", (PyObject *)base_type) < 0) goto fail;
    if (PyModule_AddIntConstant(m, "MAX_DIMS", 64) < 0) goto fail;
    if (ga_dlpack_init(m) < 0) goto fail;
    static int atfork_done = 0;
    if (!atfork_done) {
        pthread_atfork(NULL, NULL, on_fork_child);
        atfork_done = 1;
    }
    if (warn_other_go_runtime() < 0) goto fail;
    return m;
fail:
    Py_DECREF(m);
    return NULL;
}

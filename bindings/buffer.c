/* buffer.c: the buffer protocol both ways. Export: getbuffer and
 * releasebuffer of _ArrayBase. Import: from_buffer, a goarray array viewing
 * any exporter's memory.
 *
 * getbuffer never calls Go, so it works in a forked child and costs what a
 * bytearray export costs: the layout comes from the object's export record
 * and the answer to each request from a table that pybuf.Answer, the one
 * statement of numpy's rules (array_getbuffer), filled at import
 * (exports.go's goaInit). tests/test_buffer_flags.py checks every request
 * against numpy's and against pybuf.Check. */
#include "internal.h"
#include "dlpack.h"

void ga_set_reply(unsigned int bits, int flags, int reply) {
    if (bits < 8 && flags >= 0 && flags <= GA_REQUEST_FLAGS) ga_state.replies[bits][flags] = (unsigned char)reply;
}

void ga_set_refusal(int index, const char *reason) {
    if (index > 0 && index <= GA_REPLY_REFUSED) ga_state.refusals[index] = reason;
}

int ga_getbuffer(PyObject *obj, Py_buffer *view, int flags) {
    GAArray *self = (GAArray *)obj;
    unsigned int bits = self->bits;
    int reply = ga_state.replies[bits & (GA_C_CONTIG | GA_F_CONTIG | GA_READONLY)][flags & GA_REQUEST_FLAGS];
    if (reply & GA_REPLY_REFUSED) {
        PyErr_Format(PyExc_BufferError, "buffer request (flags 0x%x) refused: goarray.Array is %s", flags,
                     ga_state.refusals[reply & GA_REPLY_REFUSED]);
        return -1;
    }
    int nd = self->ndim;
    view->buf = self->data;
    view->obj = Py_NewRef(obj);
    view->len = self->len;
    view->readonly = (bits & GA_READONLY) ? 1 : 0;
    view->itemsize = self->itemsize;
    view->format = (reply & GA_REPLY_FORMAT) ? (char *)ga_state.formats[self->dtype] : NULL;
    view->ndim = (reply & GA_REPLY_ND) ? nd : 0;
    view->shape = (reply & GA_REPLY_ND) ? self->dims : NULL;
    /* the record: shape, own strides, C strides, F strides (pybuf.Record) */
    switch (reply & GA_REPLY_STRIDES) {
    case GA_REPLY_STRIDES_OWN: view->strides = self->dims + nd; break;
    case GA_REPLY_STRIDES_C: view->strides = self->dims + 2 * nd; break;
    case GA_REPLY_STRIDES_F: view->strides = self->dims + 3 * nd; break;
    default: view->strides = NULL;
    }
    view->suboffsets = NULL;
    view->internal = NULL;
    ga_owner_of(self)->exports++;
    return 0;
}

void ga_releasebuffer(PyObject *obj, Py_buffer *view) { ga_owner_of((GAArray *)obj)->exports--; }

static int contiguous(const Py_ssize_t *shape, const Py_ssize_t *strides, int nd, Py_ssize_t itemsize, int f) {
    Py_ssize_t sd = itemsize;
    int ok = 1;
    for (int k = 0; k < nd; k++) {
        int i = f ? k : nd - 1 - k;
        if (shape[i] == 0) return 1;
        if (shape[i] != 1) {
            if (strides[i] != sd) ok = 0;
            sd *= shape[i];
        }
    }
    return ok;
}

void ga_write_record(GAArray *o, const Py_buffer *view, int dtype) {
    int nd = view->ndim;
    Py_ssize_t itemsize = view->itemsize;
    Py_ssize_t *d = ga_dims_alloc(o, nd);
    Py_ssize_t *shape = d, *strides = d + nd, *cs = d + 2 * nd, *fs = d + 3 * nd;
    Py_ssize_t sd = itemsize;
    for (int k = nd - 1; k >= 0; k--) {
        shape[k] = view->shape[k];
        strides[k] = view->strides ? view->strides[k] : sd;
        cs[k] = sd;
        sd *= shape[k];
    }
    sd = itemsize;
    for (int k = 0; k < nd; k++) {
        fs[k] = sd;
        sd *= shape[k];
    }
    o->data = view->buf;
    o->len = view->len;
    o->itemsize = itemsize;
    o->ndim = nd;
    o->dtype = dtype;
    o->bits &= ~(unsigned int)(GA_C_CONTIG | GA_F_CONTIG | GA_READONLY);
    if (contiguous(shape, strides, nd, itemsize, 0)) o->bits |= GA_C_CONTIG;
    if (contiguous(shape, strides, nd, itemsize, 1)) o->bits |= GA_F_CONTIG;
    if (view->readonly) o->bits |= GA_READONLY | GA_NO_WRITE;
}

/* The dtype code of view when its format is one goarray exports, with the
 * item size of that dtype, and its elements are aligned as goarray
 * requires (complex numbers: to one part); 0 otherwise, where Go parses the
 * format and gives the reason for a refusal. */
static int format_code(const Py_buffer *view) {
    if (!view->format || view->ndim > GA_MAX_DIMS || (view->ndim > 0 && (!view->shape || !view->strides)))
        return 0;
    int code = 0;
    for (int c = 1; c < GA_NDTYPES && !code; c++)
        if (ga_dtype_itemsize(c) == view->itemsize && ga_state.formats[c] &&
            strcmp(view->format, ga_state.formats[c]) == 0)
            code = c;
    Py_ssize_t align = view->format[0] == 'Z' ? view->itemsize / 2 : view->itemsize;
    if (!code || align <= 0 || (uintptr_t)view->buf % (uintptr_t)align != 0) return 0;
    for (int i = 0; i < view->ndim; i++)
        if (view->strides[i] % align != 0) return 0;
    return code;
}

/* obj's buffer, writable if obj allows it (PyMem_Malloc'd and held), or
 * NULL with the exporter's exception. */
static Py_buffer *held_buffer(PyObject *obj) {
    Py_buffer *view = PyMem_Calloc(1, sizeof(Py_buffer));
    if (!view) return (Py_buffer *)PyErr_NoMemory();
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
    return view;
}

/* from_buffer(obj, dtype=None): a goarray array viewing obj's memory in
 * place. The exporter's buffer is held (writable if the exporter allows
 * it) until the array and all its views are gone. */
PyObject *ga_f_from_buffer(PyObject *m, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    static const char *const names[] = {"obj", "dtype"};
    PyObject *a[2];
    if (ga_parse_args("from_buffer", args, nargs, kwnames, names, 2, 2, 1, a) < 0) return NULL;
    PyObject *obj = a[0];
    int dt = 0;
    if (a[1] && a[1] != Py_None) {
        dt = ga_resolve_dtype(a[1]);
        if (dt < 0) return NULL;
    }
    if (ga_check_fork() < 0) return NULL;
    Py_buffer *view = held_buffer(obj);
    return view ? ga_array_over_view(view, format_code(view), dt) : NULL;
}

PyObject *ga_array_over_ndarray(PyObject *res) {
    if (Py_TYPE(res) != ga_state.ndarray_type) return ga_f_from_buffer(NULL, &res, 1, NULL);
    if (ga_check_fork() < 0) return NULL;
    Py_buffer *view = held_buffer(res);
    if (!view) return NULL;
    int code = format_code(view);
    if (!code) return ga_array_over_view(view, 0, 0);
    GAArray *o = ga_alloc_holding(view);
    if (o) ga_write_record(o, view, code);
    return (PyObject *)o;
}

GAArray *ga_alloc_holding(Py_buffer *view) {
    GAArray *o = ga_alloc_object();
    if (!o) {
        PyBuffer_Release(view);
        PyMem_Free(view);
        return NULL;
    }
    o->foreign = view; /* released by dealloc from now on */
    return o;
}

PyObject *ga_array_over_view(Py_buffer *view, int code, int dt) {
    GAArray *o = ga_alloc_holding(view);
    if (!o) return NULL;
    GAOperand op = {view->buf, view->len, view->itemsize, view->format, view->shape, view->strides,
                    view->ndim, view->readonly, code};
    if (goaFromBuffer(o, &op, dt) < 0) {
        Py_DECREF(o);
        return NULL;
    }
    /* A read-only exporter's memory may never be written through it. */
    if (view->readonly) o->bits |= GA_NO_WRITE | GA_READONLY;
    return (PyObject *)o;
}

/* dlpack.h's entry points into this file */
PyObject *ga_from_buffer(PyObject *obj) { return ga_f_from_buffer(NULL, &obj, 1, NULL); }

int ga_is_array(PyObject *obj) { return PyObject_TypeCheck(obj, ga_state.base_type); }

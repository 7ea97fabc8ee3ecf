/* methods.c: the methods of _ArrayBase that Go computes: reshape,
 * transpose, T, resize, fill, copy and the writeable flag, and the method
 * table (which also lists __array_ufunc__, protocols.c, and the DLPack
 * methods, dlpack_export.c). */
#include "internal.h"
#include "dlpack.h"

/* The shape operations of goaShapeOp (exports.go's op* constants). */
enum { OP_RESHAPE, OP_TRANSPOSE, OP_BROADCAST, OP_VIEW_AS, OP_COPY };

/* Run a shape operation in Go: a view of self, or a copy for OP_COPY and
 * for reshapes no view can express. */
static PyObject *shape_op(GAArray *self, int op, Py_ssize_t *ints, int n, int arg) {
    if (ga_check_fork() < 0) return NULL;
    GAArray *v = ga_alloc_view(self);
    if (!v) return NULL;
    PyObject *r = goaShapeOp(self, v, op, ints, n, arg);
    if (r != (PyObject *)v) Py_DECREF(v);
    if (r && r != (PyObject *)v && op == OP_RESHAPE) {
        /* A reshape that had to copy: numpy's result is a view of the
         * contiguous copy. */
        PyObject *w = shape_op((GAArray *)r, OP_RESHAPE, ints, n, arg & 0xff);
        Py_DECREF(r);
        r = w;
    }
    if (r && op == OP_BROADCAST) ((GAArray *)r)->bits |= GA_NO_WRITE | GA_READONLY;
    return r;
}

/* _shape_op(op, ints, arg): reshape/transpose/broadcast/view/copy in Go. */
static PyObject *m_shape_op(PyObject *obj, PyObject *args) {
    int op, arg;
    PyObject *ints;
    if (!PyArg_ParseTuple(args, "iOi", &op, &ints, &arg)) return NULL;
    Py_ssize_t buf[GA_MAX_DIMS];
    int n = 0;
    if (ints != Py_None) {
        n = ga_parse_ints(ints, buf, GA_MAX_DIMS, "shape");
        if (n < 0) return NULL;
    }
    return shape_op((GAArray *)obj, op, buf, n, arg);
}

/* reshape(*shape, order='C', copy=None) */
static PyObject *m_reshape(PyObject *obj, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    GAArray *self = (GAArray *)obj;
    static const char *const names[] = {"order", "copy"};
    PyObject *kw[2];
    if (ga_parse_args("reshape", args + nargs, 0, kwnames, names, 2, 0, 0, kw) < 0) return NULL;
    int mode = 0; /* copy=None: a view when possible; 1 always copy, 2 never */
    if (kw[1] && kw[1] != Py_None) {
        int t = PyObject_IsTrue(kw[1]);
        if (t < 0) return NULL;
        mode = t ? 1 : 2;
    }
    if (nargs == 0) {
        PyErr_SetString(PyExc_TypeError, "reshape() takes exactly 1 argument (0 given)");
        return NULL;
    }
    int ord = ga_parse_order(kw[0]);
    if (ord < 0) return NULL;
    if (ord == 'A') {
        ord = (self->bits & GA_F_CONTIG) && !(self->bits & GA_C_CONTIG) ? 'F' : 'C';
    } else if (ord == 'K') {
        PyErr_SetString(PyExc_ValueError, "order 'K' is not permitted for reshaping");
        return NULL;
    }
    Py_ssize_t shape[GA_MAX_DIMS];
    int n = ga_star_ints(args, nargs, shape, "shape");
    if (n == -1) return NULL;
    if (n == -2) { /* numpy: reshape(None) keeps the shape */
        n = self->ndim;
        memcpy(shape, self->dims, sizeof(Py_ssize_t) * (size_t)n);
    }
    return shape_op(self, OP_RESHAPE, shape, n, ord | (mode << 8));
}

static PyObject *m_transpose(PyObject *obj, PyObject *const *args, Py_ssize_t nargs) {
    Py_ssize_t axes[GA_MAX_DIMS];
    int n = 0;
    if (nargs > 0) {
        n = ga_star_ints(args, nargs, axes, "axes");
        if (n == -1) return NULL;
        if (n == -2) n = 0;
        else if (n == 0 && ((GAArray *)obj)->ndim > 0) {
            PyErr_SetString(PyExc_ValueError, "axes don't match array");
            return NULL;
        }
    }
    return shape_op((GAArray *)obj, OP_TRANSPOSE, axes, n, 0);
}

PyObject *ga_get_T(PyObject *o, void *c) { return shape_op((GAArray *)o, OP_TRANSPOSE, NULL, 0, 0); }

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
                     "cannot resize an array with %zd live export%s (buffer views, numpy arrays, goarray views, "
                     "DLPack capsules or Arrow exports)",
                     self->exports, self->exports == 1 ? "" : "s");
        return NULL;
    }
    Py_ssize_t buf[GA_MAX_DIMS];
    int n = ga_parse_ints(shape, buf, GA_MAX_DIMS, "new_shape");
    if (n < 0) return NULL;
    if (ga_check_fork() < 0) return NULL;
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
    int rc = ga_check_fork();
    if (rc == 0) rc = goaFill(self, v.buf, v.len);
    PyBuffer_Release(&v);
    if (rc < 0) return NULL;
    Py_RETURN_NONE;
}

static PyObject *m_copy_from(PyObject *obj, PyObject *src) {
    if (!PyObject_TypeCheck(src, ga_state.base_type)) {
        PyErr_SetString(PyExc_TypeError, "_copy_from needs a goarray.Array");
        return NULL;
    }
    if (((GAArray *)obj)->bits & GA_READONLY) {
        PyErr_SetString(PyExc_ValueError, "assignment destination is read-only");
        return NULL;
    }
    if (ga_check_fork() < 0) return NULL;
    if (goaCopyInto((GAArray *)obj, (GAArray *)src) < 0) return NULL;
    Py_RETURN_NONE;
}

static PyObject *m_set_writeable(PyObject *obj, PyObject *flag) {
    GAArray *self = (GAArray *)obj;
    int w = PyObject_IsTrue(flag);
    if (w < 0) return NULL;
    if (w) {
        GAArray *owner = ga_owner_of(self);
        if ((self->bits & GA_NO_WRITE) || (owner != self && (owner->bits & GA_READONLY))) {
            PyErr_SetString(PyExc_ValueError, "cannot set WRITEABLE flag to True of this array");
            return NULL;
        }
    }
    if (ga_check_fork() < 0) return NULL;
    if (goaSetReadOnly(self, !w) < 0) return NULL;
    if (w) self->bits &= ~GA_READONLY;
    else self->bits |= GA_READONLY;
    Py_RETURN_NONE;
}

static PyObject *m_pin(PyObject *obj, PyObject *unused) {
    ga_owner_of((GAArray *)obj)->bits |= GA_PINNED;
    Py_RETURN_NONE;
}

PyMethodDef ga_methods[] = {
    {"_shape_op", m_shape_op, METH_VARARGS, NULL},
    {"reshape", GA_FN(m_reshape), METH_FASTCALL | METH_KEYWORDS,
     "reshape($self, *shape, order='C', copy=None)\n--\n\nGive a new shape: a view when the layout allows it, else a copy "
     "(numpy's reshape). One dimension may be -1."},
    {"transpose", GA_FN(m_transpose), METH_FASTCALL,
     "transpose($self, *axes)\n--\n\nPermute the axes (reverse them with no argument); returns a view."},
    {"_resize", m_resize, METH_O, NULL},
    {"_fill_bytes", m_fill_bytes, METH_O, NULL},
    {"_copy_from", m_copy_from, METH_O, NULL},
    {"_set_writeable", m_set_writeable, METH_O, NULL},
    {"_pin", m_pin, METH_NOARGS, NULL},
    {"__array_ufunc__", GA_FN(ga_m_array_ufunc), METH_VARARGS | METH_KEYWORDS,
     "__array_ufunc__($self, ufunc, method, /, *inputs, **kwargs)\n--\n\nnumpy's ufunc protocol: every numpy ufunc "
     "and its methods accept goarray arrays (see goarray._protocols)."},
    /* DLPack (dlpack_export.c) */
    {"__dlpack__", GA_FN(ga_m_dlpack), METH_FASTCALL | METH_KEYWORDS,
     "__dlpack__($self, /, *, stream=None, max_version=None, dl_device=None, copy=None)\n--\n\n"
     "Export the array as a DLPack capsule (zero-copy; copy=True exports a fresh copy). It counts as an "
     "export of the array (resize refuses) until the consumer releases it."},
    {"__dlpack_device__", ga_m_dlpack_device, METH_NOARGS,
     "__dlpack_device__($self, /)\n--\n\nThe DLPack device of the array: (1, 0), the CPU."},
    {NULL}
};

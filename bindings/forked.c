/* forked.c: arrays in a child process created by fork().
 *
 * The Go runtime cannot run in such a child, so nothing here calls Go: an
 * Array is made over another object's buffer (a numpy array, bytes) with its
 * export record computed in C (buffer.c's ga_write_record). It
 * has no Go handle; dealloc releases the held buffer and nothing else. This
 * is what lets a pickled array be rebuilt in a forked multiprocessing
 * worker (see goarray._forked): an exception at unpickle time would hang
 * the Pool. */
#include "internal.h"

/* _forked_wrap(obj, dtype_code, itemsize): an Array over obj's buffer, read
 * as the core.DType dtype_code of itemsize bytes (the caller checked that
 * numpy sees obj with that dtype). Only in a forked child. */
PyObject *ga_f_forked_wrap(PyObject *m, PyObject *args) {
    PyObject *obj;
    int dtype;
    Py_ssize_t itemsize;
    if (!PyArg_ParseTuple(args, "Oin", &obj, &dtype, &itemsize)) return NULL;
    if (!ga_state.forked) {
        PyErr_SetString(PyExc_RuntimeError, "goarray: _forked_wrap is for a child process created by fork()");
        return NULL;
    }
    if (dtype <= GA_DT_INVALID || dtype >= GA_NDTYPES || itemsize < 1) {
        PyErr_Format(PyExc_ValueError, "goarray: _forked_wrap: bad dtype code %d or item size %zd", dtype, itemsize);
        return NULL;
    }
    Py_buffer *view = PyMem_Calloc(1, sizeof(Py_buffer));
    if (!view) return PyErr_NoMemory();
    if (PyObject_GetBuffer(obj, view, PyBUF_RECORDS) < 0) {
        PyErr_Clear();
        if (PyObject_GetBuffer(obj, view, PyBUF_RECORDS_RO) < 0) {
            PyMem_Free(view);
            return NULL;
        }
    }
    int nd = view->ndim;
    if (view->itemsize != itemsize || nd < 0 || nd > 64 || (nd > 0 && !view->shape)) {
        PyErr_Format(PyExc_ValueError, "goarray: _forked_wrap: a buffer of %d dimensions and %zd-byte items, "
                     "not %zd", nd, view->itemsize, itemsize);
        PyBuffer_Release(view);
        PyMem_Free(view);
        return NULL;
    }
    GAArray *o = ga_alloc_holding(view);
    if (o) ga_write_record(o, view, dtype);
    return (PyObject *)o;
}

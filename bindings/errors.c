/* errors.c: Go errors as Python exceptions. Go decides an error's kind once
 * (errors.go's errorKind, from core's and pybuf's sentinel errors); this
 * file is the one place that maps a kind onto its Python exception class. */
#include "internal.h"

/* numpy's AxisError (numpy.exceptions.AxisError, numpy.AxisError before
 * numpy 1.25), a subclass of IndexError and ValueError; NULL without an
 * exception if numpy has none. */
static PyObject *axis_error(void) {
    if (ga_state.axis_error) return ga_state.axis_error;
    PyObject *np = PyImport_ImportModule("numpy");
    if (!np) {
        PyErr_Clear();
        return NULL;
    }
    PyObject *ex = PyObject_GetAttrString(np, "exceptions");
    PyObject *cls = ex ? PyObject_GetAttrString(ex, "AxisError") : NULL;
    if (!cls) {
        PyErr_Clear();
        cls = PyObject_GetAttrString(np, "AxisError");
        if (!cls) PyErr_Clear();
    }
    Py_XDECREF(ex);
    Py_DECREF(np);
    ga_state.axis_error = cls; /* kept for the life of the process */
    return cls;
}

static PyObject *exception_class(int kind) {
    switch (kind) {
    case GA_ERR_VALUE: return PyExc_ValueError;
    case GA_ERR_TYPE: return PyExc_TypeError;
    case GA_ERR_INDEX: return PyExc_IndexError;
    case GA_ERR_MEMORY: return PyExc_MemoryError;
    case GA_ERR_BUFFER: return PyExc_BufferError;
    case GA_ERR_AXIS: {
        PyObject *cls = axis_error();
        return cls ? cls : PyExc_IndexError;
    }
    }
    return PyExc_RuntimeError;
}

void ga_raise(int kind, const char *msg, Py_ssize_t len) {
    PyObject *cls = exception_class(kind);
    PyObject *m = PyUnicode_DecodeUTF8(msg, len, "replace");
    if (m) {
        PyErr_SetObject(cls, m);
        Py_DECREF(m);
    }
}

/* A Go error where no exception can be raised (dealloc): reported through
 * sys.unraisablehook, leaving any exception in flight untouched. */
void ga_unraisable(int kind, const char *msg, Py_ssize_t len) {
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    ga_raise(kind, msg, len);
    PyErr_WriteUnraisable(NULL);
    PyErr_Restore(type, value, tb);
}

int ga_kernel_error(int rc, int kind, const char *err) {
    if (rc == 0) return 0;
    if (rc == 1) {
        if (!PyErr_Occurred()) PyErr_SetNone(PyExc_KeyboardInterrupt);
    } else {
        ga_raise(kind, err, (Py_ssize_t)strlen(err));
    }
    return -1;
}

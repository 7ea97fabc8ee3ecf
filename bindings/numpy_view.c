/* numpy_view.c: numpy arrays viewing goarray arrays, for the C paths that
 * hand goarray arrays to numpy (numpy_calls.c).
 *
 * np.asarray(a) asks for a's buffer, wraps it in a memoryview, parses its
 * format and makes the array: about 190 ns, paid for every operand of
 * every numpy call goarray does not compute itself. Here the array is made
 * by numpy's PyArray_NewFromDescr with a's dtype object, layout and data,
 * found in the C API table numpy publishes (the capsule
 * numpy._core._multiarray_umath._ARRAY_API). Its base is a goarray view of
 * a, which holds a's storage and counts as an export (resize refuses while
 * it lives), as the buffer export np.asarray takes does.
 *
 * The table's slots are numpy's ABI: they are used only when numpy reports
 * the ABI they belong to (2.x); otherwise, and for arrays without data,
 * np.asarray runs. */
#include "internal.h"

enum {
    NPY_ABI_2 = 0x02000000,
    API_ABI_VERSION = 0,     /* PyArray_GetNDArrayCVersion */
    API_ARRAY_TYPE = 2,      /* PyArray_Type */
    API_NEW_FROM_DESCR = 94, /* PyArray_NewFromDescr */
    API_SET_BASE = 282,      /* PyArray_SetBaseObject */
    NPY_WRITEABLE = 0x0400,  /* NPY_ARRAY_WRITEABLE */
};

typedef unsigned int (*abi_version_fn)(void);

int ga_numpy_view_init(void) {
    GANumpyAPI *np = &ga_state.numpy_api;
    memset(np, 0, sizeof *np);
    PyObject *m = PyImport_ImportModule("numpy._core._multiarray_umath");
    PyObject *cap = m ? PyObject_GetAttrString(m, "_ARRAY_API") : NULL;
    Py_XDECREF(m);
    void **api = cap && PyCapsule_IsValid(cap, NULL) ? PyCapsule_GetPointer(cap, NULL) : NULL;
    /* the table lives as long as numpy's extension module: the process */
    Py_XDECREF(cap);
    PyErr_Clear();
    if (!api || ((abi_version_fn)api[API_ABI_VERSION])() != NPY_ABI_2) return 0;
    np->ndarray = (PyTypeObject *)api[API_ARRAY_TYPE];
    np->new_from_descr = (GANewFromDescr)api[API_NEW_FROM_DESCR];
    np->set_base = (GASetBase)api[API_SET_BASE];
    return 1;
}

PyObject *ga_numpy_view(PyObject *x) {
    GAArray *a = (GAArray *)x;
    PyObject *descr = ga_dtype_itemsize(a->dtype) ? ga_state.dtype_objs[a->dtype] : NULL; /* NULL: no dtype */
    const GANumpyAPI *np = &ga_state.numpy_api;
    if (!np->new_from_descr || !descr || descr == Py_None || !a->data)
        return PyObject_CallFunctionObjArgs(ga_state.np_asarray, x, NULL);
    GAArray *v = ga_alloc_view(a); /* holds a's owner, counted as an export */
    if (!v) return NULL;
    v->data = a->data;
    v->len = a->len;
    v->itemsize = a->itemsize;
    v->ndim = a->ndim;
    v->dtype = a->dtype;
    v->bits = a->bits & (GA_C_CONTIG | GA_F_CONTIG | GA_READONLY | GA_NO_WRITE);
    memcpy(ga_dims_alloc(v, a->ndim), a->dims, sizeof(Py_ssize_t) * 4 * (size_t)a->ndim);
    PyObject *arr = np->new_from_descr(np->ndarray, Py_NewRef(descr), a->ndim, a->dims, a->dims + a->ndim,
                                      a->data, a->bits & GA_READONLY ? 0 : NPY_WRITEABLE, NULL);
    if (!arr) {
        Py_DECREF(v);
        return NULL;
    }
    if (np->set_base(arr, (PyObject *)v) < 0) { /* which takes v, also when it fails */
        Py_DECREF(arr);
        return NULL;
    }
    return arr;
}

/* _numpy_view(a): ga_numpy_view from Python (the tests compare it with
 * np.asarray). */
PyObject *ga_f_numpy_view(PyObject *m, PyObject *x) {
    if (!PyObject_TypeCheck(x, ga_state.base_type)) {
        PyErr_Format(PyExc_TypeError, "_numpy_view needs a goarray array, not %S", (PyObject *)Py_TYPE(x));
        return NULL;
    }
    return ga_numpy_view(x);
}

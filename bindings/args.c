/* args.c: argument parsing shared by the module's functions and the
 * array's methods: shapes and axes, orders, dtypes, and keywords. */
#include "internal.h"

/* Parse a shape (an int or a sequence of ints) into out[] as numpy's
 * PyArray_IntpConverter does; returns the count or -1 with an exception. */
/* Python's bool and numpy's are never dimensions (numpy 2.0's bool_ still
 * has a deprecated __index__). */
static int is_bool(PyObject *o) {
    return PyBool_Check(o) || (ga_state.numpy_bool && (PyObject *)Py_TYPE(o) == ga_state.numpy_bool);
}

/* shape=None: () with numpy's DeprecationWarning where the installed numpy
 * still takes it (numpy 2.0, goarray._compat.SHAPE_NONE_IS_EMPTY), else
 * numpy's TypeError from ga_parse_ints. 1 when taken, 0 if not, -1 on error. */
int ga_shape_none(PyObject *obj) {
    if (obj != Py_None) return 0;
    PyObject *compat = PyImport_ImportModule("goarray._compat");
    PyObject *flag = compat ? PyObject_GetAttrString(compat, "SHAPE_NONE_IS_EMPTY") : NULL;
    Py_XDECREF(compat);
    int taken = flag ? PyObject_IsTrue(flag) : 0;
    Py_XDECREF(flag);
    if (taken < 0 || PyErr_Occurred()) PyErr_Clear();
    if (taken <= 0) return 0;
    if (PyErr_WarnEx(PyExc_DeprecationWarning, "Passing None into shape arguments as an alias for () is deprecated.",
                     1) < 0)
        return -1;
    return 1;
}

int ga_parse_ints(PyObject *obj, Py_ssize_t *out, int max, const char *what) {
    if (!is_bool(obj) && PyIndex_Check(obj)) {
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
    if (is_bool(obj) || PyDict_Check(obj) || PyUnicode_Check(obj) || !PySequence_Check(obj)) {
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
        if (is_bool(item)) {
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

/* Shapes and axes as numpy takes them: f(2, 3) or f((2, 3)). Returns the
 * count, -1 on error, -2 for a single None. */
int ga_star_ints(PyObject *const *args, Py_ssize_t nargs, Py_ssize_t *out, const char *what) {
    if (nargs == 1) {
        if (args[0] == Py_None) return -2;
        return ga_parse_ints(args[0], out, GA_MAX_DIMS, what);
    }
    if (nargs > GA_MAX_DIMS) {
        PyErr_Format(PyExc_ValueError, "%s: %zd dimensions exceed the maximum of %d", what, nargs, GA_MAX_DIMS);
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

/* numpy's order argument: 'C', 'F', 'A' or 'K' in either case, returned in
 * upper case; None (or absent) is 'C'. Which orders a function permits is
 * its own rule. -1 with TypeError or ValueError for anything else. */
int ga_parse_order(PyObject *o) {
    if (!o || o == Py_None) return 'C';
    if (!PyUnicode_Check(o)) {
        PyObject *tn = PyObject_GetAttrString((PyObject *)Py_TYPE(o), "__name__");
        if (tn) {
            PyErr_Format(PyExc_TypeError, "order must be str, not %U", tn);
            Py_DECREF(tn);
        }
        return -1;
    }
    static const char orders[] = "CcFfAaKk";
    char one[2] = {0, 0};
    for (int i = 0; orders[i]; i++) {
        one[0] = orders[i];
        if (PyUnicode_CompareWithASCIIString(o, one) == 0) return orders[i & ~1];
    }
    PyErr_Format(PyExc_ValueError, "order must be one of 'C', 'F', 'A', or 'K' (got %R)", o);
    return -1;
}

/* A dtype-like as a core.DType code (float64 for None or absent), resolved
 * in Python (goarray/_dtypes.py) and cached by the object. */
int ga_resolve_dtype(PyObject *d) {
    if (d == NULL || d == Py_None) return GA_DT_FLOAT64;
    PyObject *code = PyDict_GetItemWithError(ga_state.dtype_cache, d);
    if (!code) {
        if (PyErr_Occurred()) PyErr_Clear(); /* unhashable: resolve, don't cache */
        code = PyObject_CallFunctionObjArgs(ga_state.dtype_resolver, d, NULL);
        if (!code) return -1;
        if (PyDict_Size(ga_state.dtype_cache) < 512 && PyDict_SetItem(ga_state.dtype_cache, d, code) < 0)
            PyErr_Clear();
        long v = PyLong_AsLong(code);
        Py_DECREF(code);
        return (int)v;
    }
    return (int)PyLong_AsLong(code);
}

/* The arguments of a METH_FASTCALL | METH_KEYWORDS call, by name: the
 * first npos of names may be given by position or keyword, the rest by
 * keyword only, and the first nrequired must be given. out[i] is the
 * argument for names[i] (borrowed), or NULL if absent. 0, or -1 with
 * TypeError in numpy's words for an argument too many, unknown, given
 * twice or missing. */
int ga_parse_args(const char *fname, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                  const char *const *names, int nnames, int npos, int nrequired, PyObject **out) {
    if (nargs > npos) {
        PyErr_Format(PyExc_TypeError, "%s() takes from %d to %d positional arguments but %zd were given", fname,
                     nrequired, npos, nargs);
        return -1;
    }
    for (int j = 0; j < nnames; j++) out[j] = j < nargs ? args[j] : NULL;
    Py_ssize_t nk = kwnames ? PyTuple_Size(kwnames) : 0;
    for (Py_ssize_t i = 0; i < nk; i++) {
        PyObject *kn = PyTuple_GetItem(kwnames, i);
        int j = 0;
        while (j < nnames && PyUnicode_CompareWithASCIIString(kn, names[j]) != 0) j++;
        if (j == nnames) {
            PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument %R", fname, kn);
            return -1;
        }
        if (out[j]) {
            PyErr_Format(PyExc_TypeError, "argument for %s() given by name (%R) and position (position %d)", fname,
                         kn, j);
            return -1;
        }
        out[j] = args[nargs + i];
    }
    for (int j = 0; j < nrequired; j++) {
        if (!out[j]) {
            PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s' (pos %d)", fname, names[j], j);
            return -1;
        }
    }
    return 0;
}

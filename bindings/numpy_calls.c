/* numpy_calls.c: numpy calls on goarray arrays that no Go kernel computes,
 * answered in C instead of Python:
 *
 *   ufunc(*inputs) without keywords, where the inputs are goarray arrays
 *   of one shape (C-contiguous, or 1-d) and Python scalars: numpy's loop on
 *   zero-copy views writes into a new array in Go memory, of the dtype
 *   numpy's resolver gives; the dtype is asked of Python
 *   (_protocols.plain_code) once per ufunc and operand dtypes and kept in a
 *   plan here. This is _protocols._plain_call, in C.
 *
 *   __array_function__ when every type taking part is goarray.Array or
 *   numpy.ndarray: a numpy function with a Go kernel that covers the call
 *   (_protocols.GO_FUNCTIONS) calls it; any other, goarray arrays in
 *   the arguments (at any depth of lists, tuples and dicts) become zero-copy
 *   views, numpy's function runs on them, and its array result is wrapped
 *   without a copy (an argument returned as the result comes back as the
 *   goarray array passed). This is _protocols.array_function's general path,
 *   in C; tuples and lists of results go to _protocols.wrap.
 *
 * Every other call goes to the Python functions, unchanged. */
#include "internal.h"

enum { K_BOOL = -1, K_INT = -2, K_FLOAT = -3, K_COMPLEX = -4, MAX_NIN = 3 };

/* The key of an operand: an array's dtype code, or a Python scalar's type;
 * 0 for anything else. */
static int operand_key(PyObject *x) {
    PyTypeObject *t = Py_TYPE(x);
    if (t == ga_state.array_type) return ((GAArray *)x)->dtype;
    if (t == &PyFloat_Type) return K_FLOAT;
    if (t == &PyLong_Type) return K_INT;
    if (t == &PyBool_Type) return K_BOOL;
    if (t == &PyComplex_Type) return K_COMPLEX;
    return 0;
}

static PyObject *key_object(int k) {
    switch (k) {
    case K_BOOL: return (PyObject *)&PyBool_Type;
    case K_INT: return (PyObject *)&PyLong_Type;
    case K_FLOAT: return (PyObject *)&PyFloat_Type;
    case K_COMPLEX: return (PyObject *)&PyComplex_Type;
    default: return ga_state.dtype_objs[k];
    }
}

/* The result dtype code of ufunc on operands of these keys, or -1 where
 * the general path must run; from the plans, or asked of Python. */
static int plan_code(PyObject *uf, int nin, const int *keys, int *code) {
    for (int i = 0; i < ga_state.nplans; i++) {
        GAPlan *p = &ga_state.plans[i];
        if (p->ufunc == uf && p->nin == nin && memcmp(p->keys, keys, sizeof(int) * (size_t)nin) == 0) {
            *code = p->code;
            return 0;
        }
    }
    PyObject *kt = PyTuple_New(nin);
    if (!kt) return -1;
    for (int i = 0; i < nin; i++) {
        PyObject *k = key_object(keys[i]);
        if (!k) {
            Py_DECREF(kt);
            *code = -1;
            return 0;
        }
        PyTuple_SetItem(kt, i, Py_NewRef(k));
    }
    PyObject *r = PyObject_CallFunctionObjArgs(ga_state.py_plain_code, uf, kt, NULL);
    Py_DECREF(kt);
    if (!r) return -1;
    long c = PyLong_AsLong(r);
    Py_DECREF(r);
    if (c == -1 && PyErr_Occurred()) return -1;
    *code = c > 0 && c < GA_NDTYPES && ga_state.dtype_objs[c] && ga_state.dtype_objs[c] != Py_None ? (int)c : -1;
    int slot = ga_state.nplans < GA_NPLANS ? ga_state.nplans++ : (ga_state.next_plan++ % GA_NPLANS);
    GAPlan *p = &ga_state.plans[slot];
    GA_SETREF(p->ufunc, Py_NewRef(uf));
    p->nin = nin;
    memcpy(p->keys, keys, sizeof(int) * (size_t)nin);
    p->code = *code;
    return 0;
}

/* ufunc(*inputs) on the path described above. *handled is 0 (nothing
 * done, no exception) where the Python path must run; otherwise the
 * result, or NULL with the exception. */
PyObject *ga_plain_ufunc(PyObject *uf, PyObject *const *inputs, Py_ssize_t nin, int *handled) {
    *handled = 0;
    if (nin < 1 || nin > MAX_NIN || !ga_state.py_plain_code) return NULL;
    int keys[MAX_NIN];
    GAArray *first = NULL;
    for (Py_ssize_t i = 0; i < nin; i++) {
        int k = operand_key(inputs[i]);
        if (!k) return NULL;
        keys[i] = k;
        if (k < 0) continue;
        GAArray *a = (GAArray *)inputs[i];
        if (a->ndim > 1 && !(a->bits & GA_C_CONTIG)) return NULL; /* numpy's order="K" may differ */
        if (!first) first = a;
        else if (a->ndim != first->ndim ||
                 memcmp(a->dims, first->dims, sizeof(Py_ssize_t) * (size_t)first->ndim) != 0)
            return NULL;
    }
    if (!first || first->ndim == 0) return NULL; /* 0-d: numpy's scalar result, in Python */
    int code;
    *handled = 1;
    if (plan_code(uf, (int)nin, keys, &code) < 0) return NULL;
    if (code < 0) {
        *handled = 0;
        return NULL;
    }
    if (ga_check_fork() < 0) return NULL;
    int nd = first->ndim;
    Py_ssize_t shape[GA_MAX_DIMS];
    memcpy(shape, first->dims, sizeof(Py_ssize_t) * (size_t)nd);
    GAArray *o = ga_alloc_object();
    if (!o) return NULL;
    if (!ga_take_spare(o, code, nd, shape, 'C', 0) && goaNew(o, code, nd, shape, 'C', 0) < 0) {
        Py_DECREF(o);
        return NULL;
    }
    /* ufunc(*views, out): the output positional, as numpy allows (no
     * keyword dict to build and parse) */
    PyObject *args = PyTuple_New(nin + 1), *r = NULL;
    if (!args) goto done;
    for (Py_ssize_t i = 0; i <= nin; i++) {
        PyObject *x = i < nin ? inputs[i] : (PyObject *)o;
        PyObject *v = i == nin || keys[i] >= 0 ? ga_numpy_view(x) : Py_NewRef(x);
        if (!v) goto done;
        PyTuple_SetItem(args, i, v);
    }
    r = PyObject_Call(uf, args, NULL);
done:
    Py_XDECREF(args);
    if (!r) {
        Py_DECREF(o);
        return NULL;
    }
    Py_DECREF(r);
    return (PyObject *)o;
}

/* ---- __array_function__ -------------------------------------------------- */

/* The (view, array) pairs of one call: which numpy view stands for which
 * goarray array, to map a view numpy returns back to the array. */
enum { MAX_PAIRS = 32 };
typedef struct {
    PyObject *view[MAX_PAIRS], *orig[MAX_PAIRS]; /* views owned, arrays borrowed */
    int n;
} Pairs;

static void pairs_clear(Pairs *p) {
    for (int i = 0; i < p->n; i++) Py_DECREF(p->view[i]);
    p->n = 0;
}

/* obj with every goarray array in it, at any depth of lists, tuples and
 * dicts, replaced by a numpy view, each recorded in p (_protocols._views).
 * A new reference; NULL with an exception, or NULL without one when there
 * are more arrays than p holds (the Python path then runs). */
static PyObject *views(PyObject *obj, Pairs *p) {
    PyTypeObject *t = Py_TYPE(obj);
    if (t == ga_state.array_type || (t != &PyList_Type && t != &PyTuple_Type && t != &PyDict_Type &&
                                     PyObject_TypeCheck(obj, ga_state.base_type))) {
        if (p->n == MAX_PAIRS) return NULL;
        PyObject *v = ga_numpy_view(obj);
        if (!v) return NULL;
        p->view[p->n] = Py_NewRef(v);
        p->orig[p->n++] = obj;
        return v;
    }
    if (t == &PyList_Type || t == &PyTuple_Type) {
        Py_ssize_t n = PySequence_Size(obj);
        int before = p->n;
        if (n < 0) return NULL;
        PyObject *items = PyList_New(n);
        if (!items) return NULL;
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *x = t == &PyList_Type ? PyList_GetItem(obj, i) : PyTuple_GetItem(obj, i);
            PyObject *v = x ? views(x, p) : NULL;
            if (!v) {
                Py_DECREF(items);
                return NULL;
            }
            PyList_SetItem(items, i, v);
        }
        if (p->n == before) {
            Py_DECREF(items);
            return Py_NewRef(obj);
        }
        if (t == &PyList_Type) return items;
        PyObject *tup = PyList_AsTuple(items);
        Py_DECREF(items);
        return tup;
    }
    if (t == &PyDict_Type) {
        Py_ssize_t pos = 0;
        int before = p->n;
        PyObject *out = PyDict_New(), *k, *x;
        if (!out) return NULL;
        while (PyDict_Next(obj, &pos, &k, &x)) {
            PyObject *v = views(x, p);
            if (!v || PyDict_SetItem(out, k, v) < 0) {
                Py_XDECREF(v);
                Py_DECREF(out);
                return NULL;
            }
            Py_DECREF(v);
        }
        if (p->n == before) {
            Py_DECREF(out);
            return Py_NewRef(obj);
        }
        return out;
    }
    return Py_NewRef(obj);
}

/* numpy's result as goarray (_protocols.wrap). Steals res. */
static PyObject *wrap(PyObject *res, Pairs *p) {
    if (Py_TYPE(res) == ga_state.ndarray_type) {
        for (int i = 0; i < p->n; i++)
            if (p->view[i] == res) {
                Py_DECREF(res);
                return Py_NewRef(p->orig[i]);
            }
        /* from_buffer refuses exactly what goarray does not hold: other
         * dtypes, byte orders, misaligned data; those stay numpy's */
        PyObject *g = ga_array_over_ndarray(res);
        if (g) {
            Py_DECREF(res);
            return g;
        }
        if (PyErr_ExceptionMatches(PyExc_TypeError) || PyErr_ExceptionMatches(PyExc_BufferError) ||
            PyErr_ExceptionMatches(PyExc_ValueError)) {
            PyErr_Clear();
            return res;
        }
        Py_DECREF(res);
        return NULL;
    }
    if (PyTuple_Check(res) || PyList_Check(res)) {
        PyObject *pairs = PyList_New(p->n), *r = NULL;
        for (int i = 0; pairs && i < p->n; i++) {
            PyObject *pair = PyTuple_Pack(2, p->view[i], p->orig[i]);
            if (!pair) {
                Py_CLEAR(pairs);
                break;
            }
            PyList_SetItem(pairs, i, pair);
        }
        if (pairs) r = PyObject_CallFunctionObjArgs(ga_state.py_wrap, res, pairs, NULL);
        Py_XDECREF(pairs);
        Py_DECREF(res);
        return r;
    }
    return res;
}

/* numpy's implementation of func (its _implementation, else func itself),
 * kept for the functions called last. A new reference. */
static PyObject *implementation(PyObject *func) {
    PyObject **fs = ga_state.impl_funcs, **is = ga_state.impls;
    int i = 0;
    while (i < GA_NIMPLS && fs[i] && fs[i] != func) i++;
    PyObject *impl;
    if (i < GA_NIMPLS && fs[i]) {
        impl = is[i];
    } else {
        impl = PyObject_GetAttr(func, ga_state.str_implementation);
        if (!impl) {
            if (!PyErr_ExceptionMatches(PyExc_AttributeError)) return NULL;
            PyErr_Clear();
            impl = Py_NewRef(func);
        }
        if (i == GA_NIMPLS) i = GA_NIMPLS - 1; /* full: the least recently used goes */
        Py_XDECREF(fs[i]);
        Py_XDECREF(is[i]);
        fs[i] = Py_NewRef(func);
        is[i] = impl;
    }
    /* move to the front */
    PyObject *f = fs[i];
    memmove(fs + 1, fs, sizeof(PyObject *) * (size_t)i);
    memmove(is + 1, is, sizeof(PyObject *) * (size_t)i);
    fs[0] = f;
    is[0] = impl;
    return Py_NewRef(impl);
}

/* Whether the Go function of go, an entry of _protocols.GO_FUNCTIONS
 * (implementation, keywords, most positional arguments, covers), takes
 * the call (_protocols.function's test): only keywords it has, no more
 * positional arguments than it takes, and covers(*args, **kwargs) true.
 * 1, 0, or -1 with an exception. */
static int go_covers(PyObject *go, PyObject *args, PyObject *kwargs) {
    if (!PyTuple_Check(go) || PyTuple_Size(go) != 4) {
        PyErr_SetString(PyExc_TypeError, "goarray: a GO_FUNCTIONS entry is not (impl, keywords, npos, covers)");
        return -1;
    }
    Py_ssize_t npos = PyLong_AsSsize_t(PyTuple_GetItem(go, 2));
    if (npos == -1 && PyErr_Occurred()) return -1;
    if (PyTuple_Size(args) > npos) return 0;
    PyObject *keywords = PyTuple_GetItem(go, 1), *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(kwargs, &pos, &key, &value)) {
        int has = PySet_Contains(keywords, key);
        if (has <= 0) return has;
    }
    PyObject *r = PyObject_Call(PyTuple_GetItem(go, 3), args, PyDict_Size(kwargs) ? kwargs : NULL);
    if (!r) return -1;
    int yes = PyObject_IsTrue(r);
    Py_DECREF(r);
    return yes;
}

/* __array_function__(func, types, args, kwargs) */
PyObject *ga_m_array_function(PyObject *self, PyObject *const *a, Py_ssize_t na) {
    if (!ga_state.py_array_function) {
        PyErr_SetString(PyExc_RuntimeError, "goarray: __array_function__ before the package registered its protocols");
        return NULL;
    }
    if (na != 4) {
        PyErr_Format(PyExc_TypeError, "__array_function__ takes 4 arguments (%zd given)", na);
        return NULL;
    }
    PyObject *func = a[0], *types = a[1], *args = a[2], *kwargs = a[3];
    int general = !PyTuple_Check(types) || !PyTuple_Check(args) || !PyDict_Check(kwargs);
    if (!general) {
        Py_ssize_t nt = PyTuple_Size(types);
        for (Py_ssize_t i = 0; i < nt && !general; i++) {
            PyObject *t = PyTuple_GetItem(types, i);
            general = t != (PyObject *)ga_state.array_type && t != (PyObject *)ga_state.ndarray_type;
        }
    }
    if (general)
        return PyObject_CallFunctionObjArgs(ga_state.py_array_function, self, func, types, args, kwargs, NULL);
    PyObject *go = PyDict_GetItemWithError(ga_state.go_functions, func); /* borrowed */
    if (go) {
        int k = go_covers(go, args, kwargs);
        if (k < 0) return NULL;
        if (k) return PyObject_Call(PyTuple_GetItem(go, 0), args, PyDict_Size(kwargs) ? kwargs : NULL);
    } else if (PyErr_Occurred()) {
        return NULL;
    }
    Pairs p = {.n = 0};
    PyObject *nargs = views(args, &p), *nkw = NULL, *res = NULL;
    if (nargs) nkw = PyDict_Size(kwargs) ? views(kwargs, &p) : Py_NewRef(kwargs);
    if (nkw) {
        /* numpy's implementation itself, as ndarray.__array_function__
         * calls it: the arguments are ndarrays now, so the dispatch the
         * public function would repeat finds nothing to override */
        PyObject *impl = implementation(func);
        res = impl ? PyObject_Call(impl, nargs, PyDict_Size(nkw) ? nkw : NULL) : NULL;
        Py_XDECREF(impl);
        if (res) res = wrap(res, &p);
    }
    Py_XDECREF(nargs);
    Py_XDECREF(nkw);
    pairs_clear(&p);
    if (!res && !PyErr_Occurred()) /* more goarray arrays than Pairs holds */
        return PyObject_CallFunctionObjArgs(ga_state.py_array_function, self, func, types, args, kwargs, NULL);
    return res;
}

PyMethodDef ga_numpy_call_methods[] = {
    {"__array_function__", GA_FN(ga_m_array_function), METH_FASTCALL,
     "__array_function__($self, func, types, args, kwargs, /)\n--\n\nnumpy's function protocol: every numpy "
     "function accepts goarray arrays (a Go kernel where one exists, else numpy on zero-copy views, the result "
     "wrapped)."},
    {NULL}
};

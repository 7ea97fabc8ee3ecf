/* protocols.c: the operators + - * / and their in-place forms, and
 * __array_ufunc__. Two flat arrays of one dtype and shape, or one and a
 * Python scalar keeping its dtype, go straight to Go (flat.c), into a kept
 * small array when one fits (array.c's spares); a keyword-free call of a
 * ufunc without a Go kernel on goarray arrays runs numpy's loop into Go
 * memory from C (numpy_calls.c); everything else (and 0-d results, which
 * numpy returns as scalars) goes to the Python protocol functions
 * registered by _register_protocols (goarray/_protocols.py). */
#include "internal.h"


/* A kept small array (array.c's spares) of the dtype and shape of the
 * flat path's result for x op y, when x or y is a C-contiguous goarray
 * array of at least one dimension: the flat path then computes into it, one
 * call into Go fewer than making the result there. NULL (no exception)
 * when there is no such spare. */
static PyObject *spare_result(int op, PyObject *x, PyObject *y) {
    PyObject *a = Py_TYPE(x) == ga_state.array_type ? x : Py_TYPE(y) == ga_state.array_type ? y : NULL;
    if (!a || ga_state.forked || !ga_state.nspares) return NULL;
    GAArray *g = (GAArray *)a;
    if (g->ndim < 1 || !(g->bits & GA_C_CONTIG) || !ga_binary_loop(op, g->dtype)) return NULL;
    GAArray *o = ga_alloc_object();
    if (!o) {
        PyErr_Clear();
        return NULL;
    }
    if (!ga_take_spare(o, ga_binary_result(op, g->dtype), g->ndim, g->dims, 'C', 0)) {
        Py_DECREF(o);
        return NULL;
    }
    return (PyObject *)o;
}

/* x op y on the flat path (ga_binary_flat), into a spare when one fits. */
static PyObject *flat(int op, PyObject *x, PyObject *y, int *handled) {
    PyObject *o = spare_result(op, x, y);
    PyObject *res = ga_binary_flat(op, x, y, o, 1, handled);
    Py_XDECREF(o);
    if (o && !*handled) return ga_binary_flat(op, x, y, NULL, 1, handled);
    return res;
}

/* name: the operator's name in goarray._protocols' fallbacks ("add"). */
static PyObject *nb_binary(int op, const char *name, PyObject *l, PyObject *r) {
    if (!ga_state.py_binop) Py_RETURN_NOTIMPLEMENTED;
    int handled;
    PyObject *res = flat(op, l, r, &handled);
    if (handled) return res;
    return PyObject_CallFunction(ga_state.py_binop, "sOO", name, l, r);
}

static PyObject *nb_inplace(int op, const char *name, PyObject *l, PyObject *r) {
    if (!ga_state.py_inplace) Py_RETURN_NOTIMPLEMENTED;
    int handled;
    PyObject *res = ga_binary_flat(op, l, r, l, 1, &handled);
    if (handled) return res;
    return PyObject_CallFunction(ga_state.py_inplace, "sOO", name, l, r);
}

PyObject *ga_nb_add(PyObject *l, PyObject *r) { return nb_binary(GA_OP_BINARY_ADD, "add", l, r); }
PyObject *ga_nb_subtract(PyObject *l, PyObject *r) { return nb_binary(GA_OP_BINARY_SUBTRACT, "sub", l, r); }
PyObject *ga_nb_multiply(PyObject *l, PyObject *r) { return nb_binary(GA_OP_BINARY_MULTIPLY, "mul", l, r); }
PyObject *ga_nb_true_divide(PyObject *l, PyObject *r) { return nb_binary(GA_OP_BINARY_DIVIDE, "truediv", l, r); }
PyObject *ga_nb_inplace_add(PyObject *l, PyObject *r) { return nb_inplace(GA_OP_BINARY_ADD, "add", l, r); }
PyObject *ga_nb_inplace_subtract(PyObject *l, PyObject *r) { return nb_inplace(GA_OP_BINARY_SUBTRACT, "sub", l, r); }
PyObject *ga_nb_inplace_multiply(PyObject *l, PyObject *r) { return nb_inplace(GA_OP_BINARY_MULTIPLY, "mul", l, r); }
PyObject *ga_nb_inplace_true_divide(PyObject *l, PyObject *r) {
    return nb_inplace(GA_OP_BINARY_DIVIDE, "truediv", l, r);
}

/* a < b, a == b, ...: self is the goarray array (Python reflects x < a
 * into a > x). The flat path when it applies, else goarray._protocols'
 * comparison of that name. */
PyObject *ga_richcompare(PyObject *self, PyObject *other, int op) {
    static const int codes[] = {
        [Py_LT] = GA_OP_BINARY_LESS,    [Py_LE] = GA_OP_BINARY_LESS_EQUAL, [Py_EQ] = GA_OP_BINARY_EQUAL,
        [Py_NE] = GA_OP_BINARY_NOT_EQUAL, [Py_GT] = GA_OP_BINARY_GREATER, [Py_GE] = GA_OP_BINARY_GREATER_EQUAL,
    };
    static const char *const names[] = {[Py_LT] = "lt", [Py_LE] = "le", [Py_EQ] = "eq",
                                        [Py_NE] = "ne", [Py_GT] = "gt", [Py_GE] = "ge"};
    if (!ga_state.py_binop || op < Py_LT || op > Py_GE) Py_RETURN_NOTIMPLEMENTED;
    int handled;
    PyObject *res = flat(codes[op], self, other, &handled);
    if (handled) return res;
    return PyObject_CallFunction(ga_state.py_binop, "sOO", names[op], self, other);
}

/* __array_ufunc__(ufunc, method, *inputs, **kwargs): ufunc(x, y) and
 * ufunc(x, y, out=(o,)) of the ufuncs of the binary operations in C, the
 * rest in Python. */
PyObject *ga_m_array_ufunc(PyObject *self, PyObject *args, PyObject *kw) {
    if (!ga_state.py_array_ufunc) {
        PyErr_SetString(PyExc_RuntimeError, "goarray: __array_ufunc__ before the package registered its protocols");
        return NULL;
    }
    Py_ssize_t n = PyTuple_Size(args);
    Py_ssize_t nkw = kw ? PyDict_Size(kw) : 0;
    if (n == 4 && nkw <= 1) {
        PyObject *uf = PyTuple_GetItem(args, 0), *method = PyTuple_GetItem(args, 1);
        int op = -1;
        for (int i = 0; i < GA_NFAST_UFUNCS; i++)
            if (ga_state.fast_ufuncs[i] == uf) op = i;
        PyObject *out = NULL;
        if (nkw == 1) {
            PyObject *o = PyDict_GetItemString(kw, "out"); /* borrowed */
            if (o && PyTuple_Check(o) && PyTuple_Size(o) == 1) out = PyTuple_GetItem(o, 0);
            else op = -1;
        }
        if (op >= 0 && PyUnicode_Check(method) && PyUnicode_CompareWithASCIIString(method, "__call__") == 0) {
            int handled;
            PyObject *x = PyTuple_GetItem(args, 2), *y = PyTuple_GetItem(args, 3);
            PyObject *res = out ? ga_binary_flat(op, x, y, out, 1, &handled) : flat(op, x, y, &handled);
            if (handled) return res;
        }
    }
    if (n >= 3 && n <= 5 && nkw == 0 && ga_state.go_ufuncs) {
        /* a ufunc without a Go kernel, called without keywords */
        PyObject *uf = PyTuple_GetItem(args, 0), *method = PyTuple_GetItem(args, 1);
        if (PyUnicode_Check(method) && PyUnicode_CompareWithASCIIString(method, "__call__") == 0) {
            int has_go = PyDict_Contains(ga_state.go_ufuncs, uf);
            if (has_go < 0) return NULL;
            if (!has_go) {
                PyObject *inputs[3];
                for (Py_ssize_t i = 0; i < n - 2; i++) inputs[i] = PyTuple_GetItem(args, i + 2);
                int handled;
                PyObject *res = ga_plain_ufunc(uf, inputs, n - 2, &handled);
                if (handled) return res;
            }
        }
    }
    PyObject *full = PyTuple_New(n + 1);
    if (!full) return NULL;
    PyTuple_SetItem(full, 0, Py_NewRef(self));
    for (Py_ssize_t i = 0; i < n; i++) PyTuple_SetItem(full, i + 1, Py_NewRef(PyTuple_GetItem(args, i)));
    PyObject *res = PyObject_Call(ga_state.py_array_ufunc, full, kw);
    Py_DECREF(full);
    return res;
}

/* _register_protocols(binop, inplace, array_ufunc, (the numpy ufunc of
 * each binary operation, by code), go_ufuncs, array_function,
 * go_functions, plain_code, wrap, asarray): the Python paths, the ufuncs
 * and numpy functions that have Go kernels (dicts), and what numpy_calls.c
 * calls. */
PyObject *ga_f_register_protocols(PyObject *m, PyObject *args) {
    PyObject *b, *i, *u, *ufs, *gu, *af, *gf, *pc, *w, *asa;
    if (!PyArg_ParseTuple(args, "OOOOO!OO!OOO", &b, &i, &u, &ufs, &PyDict_Type, &gu, &af, &PyDict_Type, &gf,
                          &pc, &w, &asa))
        return NULL;
    if (!PyTuple_Check(ufs) || PyTuple_Size(ufs) != GA_NFAST_UFUNCS) {
        PyErr_Format(PyExc_TypeError, "_register_protocols needs a tuple of the %d binary operations' ufuncs",
                     (int)GA_NFAST_UFUNCS);
        return NULL;
    }
    PyObject *impl = PyUnicode_InternFromString("_implementation");
    if (!impl) return NULL;
    GA_SETREF(ga_state.str_implementation, impl);
    GA_SETREF(ga_state.py_binop, Py_NewRef(b));
    GA_SETREF(ga_state.py_inplace, Py_NewRef(i));
    GA_SETREF(ga_state.py_array_ufunc, Py_NewRef(u));
    for (int k = 0; k < GA_NFAST_UFUNCS; k++) GA_SETREF(ga_state.fast_ufuncs[k], Py_NewRef(PyTuple_GetItem(ufs, k)));
    GA_SETREF(ga_state.go_ufuncs, Py_NewRef(gu));
    GA_SETREF(ga_state.py_array_function, Py_NewRef(af));
    GA_SETREF(ga_state.go_functions, Py_NewRef(gf));
    GA_SETREF(ga_state.py_plain_code, Py_NewRef(pc));
    GA_SETREF(ga_state.py_wrap, Py_NewRef(w));
    GA_SETREF(ga_state.np_asarray, Py_NewRef(asa));
    return PyBool_FromLong(ga_numpy_view_init());
}

/* module.c: the module goarray._goarray: its state, its functions, its
 * import, and the guard that keeps a forked child out of Go.
 *
 * Every path that calls Go checks ga_check_fork first, because the Go
 * runtime cannot run in a child after fork (its other threads are gone);
 * the buffer protocol never calls Go, so it works in a child too. */
#define _GNU_SOURCE
#include "internal.h"
#include "dlpack.h"
#include "arrow.h"
#include <pthread.h>
#include <dlfcn.h>
#include <link.h>

GAState ga_state;

#define FORK_MESSAGE "goarray cannot be used in a child process created by fork(): " \
    "the Go runtime does not survive fork. Use the 'spawn' or 'forkserver' " \
    "start method of multiprocessing (multiprocessing.set_start_method('spawn'))"

int ga_check_fork(void) {
    if (ga_state.forked) {
        PyErr_SetString(PyExc_RuntimeError, FORK_MESSAGE);
        return -1;
    }
    return 0;
}

static void on_fork_child(void) { ga_state.forked = 1; }

/* _register(array_type, dtypes, resolver, to_scalar, adv_get, adv_set, ndarray, main_thread_ident) */
static PyObject *f_register(PyObject *m, PyObject *args) {
    PyObject *tp, *dts, *res, *sc, *ag, *ast, *nd;
    unsigned long main_ident;
    if (!PyArg_ParseTuple(args, "OOOOOOOk", &tp, &dts, &res, &sc, &ag, &ast, &nd, &main_ident)) return NULL;
    ga_state.main_thread_ident = main_ident;
    if (!PyType_Check(nd)) {
        PyErr_SetString(PyExc_TypeError, "ndarray must be a type");
        return NULL;
    }
    GA_SETREF(ga_state.ndarray_type, (PyTypeObject *)Py_NewRef(nd));
    if (!PyType_Check(tp) || !PyType_IsSubtype((PyTypeObject *)tp, ga_state.base_type)) {
        PyErr_SetString(PyExc_TypeError, "array type must subclass _ArrayBase");
        return NULL;
    }
    Py_ssize_t n = PySequence_Size(dts);
    if (n < 0) return NULL;
    for (Py_ssize_t i = 0; i < n && i < GA_NDTYPES; i++) {
        PyObject *d = PySequence_GetItem(dts, i);
        if (!d) return NULL;
        GA_SETREF(ga_state.dtype_objs[i], d);
        if (d != Py_None) {
            PyObject *t = PyObject_GetAttrString(d, "type");
            if (!t) return NULL;
            GA_SETREF(ga_state.scalar_types[i], t);
        }
    }
    PyObject *np = PyImport_ImportModule("numpy");
    PyObject *nb = np ? PyObject_GetAttrString(np, "bool_") : NULL;
    Py_XDECREF(np);
    if (!nb) return NULL;
    GA_SETREF(ga_state.numpy_bool, nb);
    GA_SETREF(ga_state.array_type, (PyTypeObject *)Py_NewRef(tp));
    GA_SETREF(ga_state.dtype_resolver, Py_NewRef(res));
    GA_SETREF(ga_state.to_scalar, Py_NewRef(sc));
    GA_SETREF(ga_state.adv_getitem, Py_NewRef(ag));
    GA_SETREF(ga_state.adv_setitem, Py_NewRef(ast));
    Py_RETURN_NONE;
}

static PyObject *f_configure(PyObject *m, PyObject *args) {
    int zero_strides;
    if (!PyArg_ParseTuple(args, "p", &zero_strides)) return NULL;
    if (ga_check_fork() < 0) return NULL;
    if (goaConfigure(zero_strides) < 0) return NULL;
    Py_RETURN_NONE;
}

static PyObject *f_set_num_threads(PyObject *m, PyObject *arg) {
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred()) return NULL;
    if (ga_check_fork() < 0) return NULL;
    int r = goaSetNumThreads((int)n);
    if (r < 0) return NULL;
    return PyLong_FromLong(r);
}

static PyObject *f_get_num_threads(PyObject *m, PyObject *unused) {
    if (ga_check_fork() < 0) return NULL;
    int r = goaNumThreads();
    if (r < 0) return NULL;
    return PyLong_FromLong(r);
}

static PyObject *f_allocated(PyObject *m, PyObject *unused) {
    if (ga_check_fork() < 0) return NULL;
    ga_flush_free_queue();
    long long n = goaAllocated();
    if (n < 0) return NULL;
    return PyLong_FromLongLong(n);
}

static PyObject *f_live_handles(PyObject *m, PyObject *unused) {
    if (ga_check_fork() < 0) return NULL;
    ga_flush_free_queue();
    long long n = goaLiveHandles();
    if (n < 0) return NULL;
    return PyLong_FromLongLong(n);
}

static PyObject *f_info(PyObject *m, PyObject *arg) {
    int what = (int)PyLong_AsLong(arg);
    if (what == -1 && PyErr_Occurred()) return NULL;
    if (ga_check_fork() < 0) return NULL;
    char buf[512];
    if (goaInfo(what, buf, sizeof buf) < 0) return NULL;
    return PyUnicode_FromString(buf);
}

/* _check_request(bits, flags) -> None if granted, else pybuf's reason. */
static PyObject *f_check_request(PyObject *m, PyObject *args) {
    unsigned int bits;
    int flags;
    if (!PyArg_ParseTuple(args, "Ii", &bits, &flags)) return NULL;
    if (ga_check_fork() < 0) return NULL;
    char buf[512];
    int rc = goaCheckRequest(bits, flags, buf, sizeof buf);
    if (rc == -2) return NULL;
    if (rc == 0) Py_RETURN_NONE;
    return PyUnicode_FromString(buf);
}

static PyObject *f_panic(PyObject *m, PyObject *unused) {
    if (ga_check_fork() < 0) return NULL;
    return goaPanic();
}

/* _registry() -> the kernel registry's description (JSON; goarray._registry). */
static PyObject *f_registry(PyObject *m, PyObject *unused) {
    if (ga_check_fork() < 0) return NULL;
    char *s = goaRegistry();
    if (!s) return NULL;
    PyObject *r = PyUnicode_FromString(s);
    free(s);
    return r;
}

static PyObject *f_forked(PyObject *m, PyObject *unused) { return PyBool_FromLong(ga_state.forked); }

static PyMethodDef module_methods[] = {
    {"empty", GA_FN(ga_f_empty), METH_FASTCALL | METH_KEYWORDS,
     "empty(shape, dtype=None, order='C')\n--\n\nA new Go-backed array without initialising entries."},
    {"zeros", GA_FN(ga_f_zeros), METH_FASTCALL | METH_KEYWORDS,
     "zeros(shape, dtype=None, order='C')\n--\n\nA new Go-backed array of zeros."},
    {"_register", f_register, METH_VARARGS, NULL},
    {"_register_protocols", ga_f_register_protocols, METH_VARARGS, NULL},
    {"_call", GA_FN(ga_f_call), METH_FASTCALL, NULL},
    {"_registry", f_registry, METH_NOARGS, NULL},
    {"_set_scalar_promotion", ga_f_set_scalar_promotion, METH_O, NULL},
    {"_set_reduce_results", ga_f_set_reduce_results, METH_O, NULL},
    {"_reduce_scalar", GA_FN(ga_f_reduce_scalar), METH_FASTCALL, NULL},
    {"_fast", ga_f_fast, METH_VARARGS, NULL},
    {"from_buffer", GA_FN(ga_f_from_buffer), METH_FASTCALL | METH_KEYWORDS,
     "from_buffer(obj, dtype=None)\n--\n\nA goarray array that views the memory of any buffer exporter in "
     "place (no copy), with its shape, strides and format. It holds the exporter's buffer while it lives and "
     "is writable iff the exporter is. dtype= reinterprets the bytes as view(dtype) does."},
    {"from_dlpack", GA_FN(ga_f_from_dlpack), METH_FASTCALL | METH_KEYWORDS,
     "from_dlpack(x, /, *, device=None, copy=None)\n--\n\nA goarray array that views the memory of any DLPack "
     "producer in place (no copy), with its shape, strides and dtype; read-only if the producer says so. The "
     "producer's deleter runs once the array and all its views are gone. copy=True returns a Go-backed copy."},
    /* Arrow PyCapsule interface (arrow.c, arrow_import.c) */
    {"_arrow_export", GA_FN(ga_f_arrow_export), METH_FASTCALL, NULL},
    {"_arrow_schema_formats", ga_f_arrow_schema_formats, METH_O, NULL},
    {"_arrow_import", GA_FN(ga_f_arrow_import), METH_FASTCALL, NULL},
    {"_arrow_import_stream", ga_f_arrow_import_stream, METH_O, NULL},
    {"_set_num_threads", f_set_num_threads, METH_O, NULL},
    {"_get_num_threads", f_get_num_threads, METH_NOARGS, NULL},
    {"_new_like", ga_f_new_like, METH_VARARGS, NULL},
    {"_new_strided", ga_f_new_strided, METH_VARARGS, NULL},
    {"_configure", f_configure, METH_VARARGS, NULL},
    {"_allocated", f_allocated, METH_NOARGS, NULL},
    {"_live_handles", f_live_handles, METH_NOARGS, NULL},
    {"_info", f_info, METH_O, NULL},
    {"_check_request", f_check_request, METH_VARARGS, NULL},
    {"_panic", f_panic, METH_NOARGS, NULL},
    {"_forked", f_forked, METH_NOARGS, NULL},
    {"_forked_wrap", ga_f_forked_wrap, METH_VARARGS, NULL},
    {"_numpy_view", ga_f_numpy_view, METH_O, NULL},
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
     * on a background thread) and fills the format and buffer-reply tables. */
    if (goaInit() != 0) return NULL;
    char why[1024];
    if (goaRegistryCheck(why, sizeof why) != 0) {
        if (!PyErr_Occurred()) PyErr_Format(PyExc_ImportError, "goarray: %s", why);
        return NULL;
    }
    PyObject *m = PyModule_Create(&module_def);
    if (!m) return NULL;
    if (ga_array_type_init(m) < 0) goto fail;
    GA_SETREF(ga_state.dtype_cache, PyDict_New());
    if (!ga_state.dtype_cache) goto fail;
    if (PyModule_AddIntConstant(m, "MAX_DIMS", GA_MAX_DIMS) < 0) goto fail;
    if (ga_dlpack_init(m) < 0) goto fail;
    if (ga_arrow_init(m) < 0) goto fail;
    if (!ga_state.atfork_registered) {
        pthread_atfork(NULL, NULL, on_fork_child);
        ga_state.atfork_registered = 1;
    }
    if (warn_other_go_runtime() < 0) goto fail;
    return m;
fail:
    Py_DECREF(m);
    return NULL;
}

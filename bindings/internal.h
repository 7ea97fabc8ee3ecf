/* internal.h: what the C files of goarray._goarray share with one another
 * (never included by Go files): the module state and the functions each
 * file offers the others, grouped by the file that defines them.
 *
 *   module.c     the module: its state, its functions, import, the fork guard
 *   array.c      the type: allocation, lifetime, attributes, slots
 *   methods.c    the methods that reshape, transpose, resize, fill or copy
 *   buffer.c     the buffer protocol: export (getbuffer) and from_buffer
 *   indexing.c   a[key] and a[key] = v, element reads as numpy scalars
 *   args.c       argument parsing: shapes, orders, dtypes, keywords
 *   creation.c   empty, zeros and the internal constructors
 *   kernels.c    calling Go kernels: the GIL, Ctrl-C, errors; _call into
 *                the kernel registry
 *   flat.c       the flat C path: contiguous operands straight to Go
 *   protocols.c  operators and __array_ufunc__
 *   numpy_calls.c  numpy calls without a Go kernel: __array_function__, plain ufunc calls
 *   numpy_view.c  numpy arrays viewing goarray arrays, through numpy's C API
 *   errors.c     Go errors as Python exceptions
 *   dlpack_export.c  DLPack export: __dlpack__, __dlpack_device__ (dlpack.h)
 *   dlpack_import.c  DLPack import: from_dlpack (dlpack.h)
 *   arrow.c      the Arrow PyCapsule interface: export (arrow.h)
 *   arrow_import.c  Arrow import: ArrowArray and stream capsules as arrays
 *   forked.c     arrays over a buffer in a forked child, without Go */
#ifndef GOARRAY_INTERNAL_H
#define GOARRAY_INTERNAL_H

#include "shim.h"
#include "codes.h"
#include "_cgo_export.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
    GA_MAX_DIMS = 64,
    GA_FREE_BATCH = 32,    /* handles released per call into Go (array.c) */
    GA_NFAST_UFUNCS = GA_NOPS_BINARY, /* the numpy ufunc of each binary operation, by code */
    /* Kernels whose largest operand holds fewer bytes than this keep the
     * GIL: releasing and retaking it (and the extra call into Go the
     * released path makes) costs more than the work: ~0.7 us against
     * ~0.2 us for an add of 1000 float64. */
    GA_GIL_RELEASE_BYTES = 16384,
    GA_NFAST_ENTRIES = 14, /* flat.c's fast_defs */
};

/* A small owning array dropped by Python, kept with its Go array for the
 * next new array of the same dtype, shape and order (array.c). */
enum { GA_NSPARES = 8, GA_SPARE_MAX_BYTES = 65536 };
typedef struct {
    uintptr_t handle;
    char *data;
    Py_ssize_t len;
    Py_ssize_t itemsize;
    int ndim;
    int dtype;
    unsigned int bits;
    Py_ssize_t dims[4 * GA_INLINE_DIMS];
} GASpare;

/* A plan of numpy_calls.c: a ufunc's result dtype code for operand keys
 * (dtype codes, or negative codes for Python scalar types); -1: no plan. */
enum { GA_NPLANS = 64, GA_NIMPLS = 16 };
typedef struct {
    PyObject *ufunc;
    int nin;
    int keys[3];
    int code;
} GAPlan;

/* The functions of numpy's C API numpy_view.c calls (slots of the table
 * numpy publishes); NULL where numpy's ABI is not the one they belong to. */
typedef PyObject *(*GANewFromDescr)(PyTypeObject *, PyObject *, int, const Py_ssize_t *, const Py_ssize_t *,
                                    void *, int, PyObject *);
typedef int (*GASetBase)(PyObject *, PyObject *);
typedef struct {
    PyTypeObject *ndarray;          /* PyArray_Type */
    GANewFromDescr new_from_descr;  /* PyArray_NewFromDescr */
    GASetBase set_base;             /* PyArray_SetBaseObject */
} GANumpyAPI;

/* The module's state. One instance, ga_state (module.c), rather than
 * PyModule_GetState: the slots that read it (getbuffer, the number slots,
 * dealloc) and the functions Go calls receive no module object, and the
 * limited API of 3.11 has no PyType_GetModuleByDef to find it from a
 * subclass of the type (goarray.Array). Nor could a second module object
 * have state of its own: the Go runtime, its handles and its allocator exist
 * once per process (golang/go#65050), so the module is single-phase
 * (m_size -1) and this is the state of the one Go runtime. */
/* A kernel family's parameters, as the registry declares them. */
typedef struct {
    const char *name;
    int nparams;
    int types[GA_MAX_PARAMS]; /* GA_PARAM_* */
} GAFamily;

typedef struct {
    PyTypeObject *base_type;     /* _goarray._ArrayBase */
    PyTypeObject *array_type;    /* what new objects are: goarray.Array once registered */
    PyTypeObject *ndarray_type;  /* numpy.ndarray */
    PyObject *numpy_bool;        /* numpy.bool_: never a dimension, as Python's bool */
    PyObject *dtype_objs[GA_NDTYPES];   /* numpy.dtype per core.DType */
    PyObject *scalar_types[GA_NDTYPES]; /* numpy scalar type per core.DType */
    const char *formats[GA_NDTYPES];    /* PEP 3118 format per core.DType (pybuf.Format) */
    const char *typestrs[GA_NDTYPES];   /* __array_interface__ typestr (pybuf.Typestr) */
    PyObject *dtype_resolver;    /* Python: dtype-like -> core.DType code */
    PyObject *dtype_cache;       /* dict: dtype-like -> code */
    PyObject *axis_error;        /* numpy's AxisError, looked up at its first use */
    /* Python callbacks (goarray/_array.py, _protocols.py) */
    PyObject *to_scalar;         /* 0-d Array -> numpy scalar */
    PyObject *adv_getitem;       /* (array, key) -> result */
    PyObject *adv_setitem;       /* (array, key, value) -> None */
    PyObject *py_binop;          /* (name, l, r): an operator's general path */
    PyObject *py_inplace;        /* (name, l, r): an in-place operator's general path */
    PyObject *py_array_ufunc;    /* __array_ufunc__'s general path */
    PyObject *fast_ufuncs[GA_NFAST_UFUNCS];
    PyObject *fast_impls[GA_NFAST_ENTRIES]; /* the Python function each C entry point falls back to (flat.c) */
    GAFamily families[GA_MAX_FAMILIES]; /* by family code, filled by Go at import (ga_set_family) */
    int nfamilies;
    /* per binary op (GA_OP_BINARY_*) and dtype code: the bit of each
     * Python scalar kind (GA_SCALAR_KIND_*) whose NEP 50 promotion with the
     * dtype keeps it (numpy's resolver, at import: _set_scalar_promotion) */
    unsigned char keeps_dtype[GA_NOPS_BINARY][GA_NDTYPES];
    /* per reduce operation (GA_OP_REDUCE_*, then one row for the mean) and
     * dtype code: numpy's result dtype code of the full reduction without
     * dtype=, 0 where the flat path does not apply (numpy's answers, at
     * import: _set_reduce_results) */
    unsigned char reduce_results[GA_NOPS_REDUCE + 1][GA_NDTYPES];
    unsigned long main_thread_ident; /* only this thread polls for Ctrl-C */
    volatile int forked;         /* set in a child after fork(): Go cannot run */
    int atfork_registered;
    /* handles queued for release (array.c) */
    uintptr_t free_queue[GA_FREE_BATCH];
    int free_queued;
    /* numpy calls without a Go kernel (numpy_calls.c) */
    PyObject *go_ufuncs;         /* ufunc -> its Go kernel (_protocols.GO_UFUNCS) */
    PyObject *py_array_function; /* __array_function__'s general path */
    PyObject *go_functions;      /* numpy function -> (impl, keywords, npos, covers): _protocols.GO_FUNCTIONS */
    PyObject *py_plain_code;     /* (ufunc, operand keys) -> result dtype code or -1 */
    PyObject *py_wrap;           /* (result, pairs) -> numpy's result as goarray */
    PyObject *np_asarray;        /* numpy.asarray */
    PyObject *str_implementation; /* "_implementation" */
    GAPlan plans[GA_NPLANS];
    int nplans, next_plan;
    GANumpyAPI numpy_api;        /* numpy_view.c */
    /* numpy functions and their _implementation, last used first */
    PyObject *impl_funcs[GA_NIMPLS], *impls[GA_NIMPLS];
    /* small arrays kept by dealloc for the next empty/zeros (array.c) */
    GASpare spares[GA_NSPARES];
    int nspares;
    /* getbuffer's answers (buffer.c), from pybuf.Answer */
    unsigned char replies[8][GA_REQUEST_FLAGS + 1];
    const char *refusals[GA_REPLY_REFUSED + 1];
} GAState;

extern GAState ga_state;

/* Py_XSETREF is not part of the limited API. */
#define GA_SETREF(dst, src) do { PyObject *_old = (PyObject *)(dst); (dst) = (src); Py_XDECREF(_old); } while (0)
#define GA_FN(f) ((PyCFunction)(void (*)(void))(f))

/* module.c */
int ga_check_fork(void);                      /* 0, or -1 with RuntimeError in a forked child */

/* array.c */
GAArray *ga_alloc_object(void);               /* a new, empty instance of array_type */
GAArray *ga_owner_of(GAArray *o);             /* the array owning o's storage */
Py_ssize_t ga_dtype_itemsize(long dtype);     /* 0 for an unknown code */
void ga_flush_free_queue(void);               /* releases the queued handles and the spares */
/* Makes o (fresh from ga_alloc_object) a new owning array of dtype, shape
 * and order ('C' or 'F'), zero-filled if asked, from a spare: 1, or 0 when
 * no spare fits (nothing done). */
int ga_take_spare(GAArray *o, int dtype, int ndim, const Py_ssize_t *shape, int order, int zero);
int ga_array_type_init(PyObject *module);

/* methods.c */
extern PyMethodDef ga_methods[];
PyObject *ga_get_T(PyObject *o, void *closure);

/* buffer.c */
int ga_getbuffer(PyObject *obj, Py_buffer *view, int flags);
void ga_releasebuffer(PyObject *obj, Py_buffer *view);
PyObject *ga_f_from_buffer(PyObject *m, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames);
/* A goarray array over view (PyMem_Malloc'd and held), which it owns from
 * here on (released with the array, or at once on failure). code: view's
 * dtype code when C recognised its format (0: Go parses the format); dt:
 * the dtype to see the bytes as (0: the format's). Read-only views give
 * arrays that can never be made writable. */
PyObject *ga_array_over_view(Py_buffer *view, int code, int dt);
/* A goarray array viewing numpy's array res (any other object: from_buffer).
 * A numpy array of a dtype goarray holds gets its export record from C and
 * its Go array when Go first needs one: numpy's results, wrapped by
 * numpy_calls.c, are often dropped before then. */
PyObject *ga_array_over_ndarray(PyObject *res);
/* A new, empty array holding view (PyMem_Malloc'd and held): dealloc
 * releases it. On failure view is released at once. */
GAArray *ga_alloc_holding(Py_buffer *view);
/* Writes o's export record (pybuf.WriteRecord's, computed in C) for
 * view's layout, seen as dtype. */
void ga_write_record(GAArray *o, const Py_buffer *view, int dtype);

/* indexing.c */
PyObject *ga_subscript(PyObject *obj, PyObject *key);
int ga_ass_subscript(PyObject *obj, PyObject *key, PyObject *value);
Py_ssize_t ga_length(PyObject *obj);
/* A numpy scalar of dtype from the element at p, or NULL without an
 * exception where C has no conversion (float16; NaN payloads when exact). */
PyObject *ga_scalar_from(int dtype, const char *p, int exact);

/* args.c */
int ga_parse_ints(PyObject *obj, Py_ssize_t *out, int max, const char *what);
int ga_shape_none(PyObject *obj); /* shape=None as the installed numpy takes it */
int ga_star_ints(PyObject *const *args, Py_ssize_t nargs, Py_ssize_t *out, const char *what);
int ga_parse_order(PyObject *o);
int ga_resolve_dtype(PyObject *d);
int ga_parse_args(const char *fname, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                  const char *const *names, int nnames, int npos, int nrequired, PyObject **out);

/* creation.c */
PyObject *ga_f_empty(PyObject *m, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames);
PyObject *ga_f_zeros(PyObject *m, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames);
PyObject *ga_f_new_like(PyObject *m, PyObject *args);
PyObject *ga_f_new_strided(PyObject *m, PyObject *args);

/* forked.c */
PyObject *ga_f_forked_wrap(PyObject *m, PyObject *args);

/* kernels.c: every call of a Go kernel export goes through one GACall:
 *
 *     GACall c;
 *     ga_call_begin(&c, bytes);      releases the GIL for large operands
 *     rc = goaSomething(..., c.interruptible, &c.kind, c.err, sizeof c.err);
 *     if (ga_call_end(&c, rc) < 0)   retakes it; raises the kernel's error
 *         return NULL;
 */
typedef struct {
    PyThreadState *tstate;  /* the released thread state, or NULL */
    int interruptible;      /* the kernel may poll for Ctrl-C */
    int kind;               /* the error's GA_ERR_* kind */
    char err[1024];         /* the error's message */
} GACall;
void ga_call_begin(GACall *c, Py_ssize_t bytes);
int ga_call_end(GACall *c, int rc);
PyObject *ga_f_call(PyObject *m, PyObject *const *args, Py_ssize_t nargs);
PyObject *ga_f_reduce_scalar(PyObject *m, PyObject *const *args, Py_ssize_t nargs);

/* flat.c */
/* x op y (into out_o when not NULL) on the flat path, with at least
 * min_ndim dimensions. *handled is 0 (nothing done, no exception) where the
 * general path must run; otherwise the result, or NULL with the exception. */
PyObject *ga_binary_flat(int op, PyObject *x, PyObject *y, PyObject *out_o, int min_ndim, int *handled);
/* Whether binary operation op has a Go loop for dtype code dt (the
 * registry's dtypes of the operation). */
int ga_binary_loop(int op, int dt);
/* The dtype code of binary operation op's result on operands of dtype code
 * dt (the registry's result dtype: bool for the comparisons). */
int ga_binary_result(int op, int dt);
/* The kinds of Python scalars, bits of keeps_dtype. */
enum { GA_SCALAR_KIND_BOOL = 1, GA_SCALAR_KIND_INT = 2, GA_SCALAR_KIND_FLOAT = 4, GA_SCALAR_KIND_COMPLEX = 8 };
PyObject *ga_f_set_scalar_promotion(PyObject *m, PyObject *arg);
PyObject *ga_f_set_reduce_results(PyObject *m, PyObject *arg);
PyObject *ga_f_fast(PyObject *m, PyObject *args);

/* protocols.c */
PyObject *ga_nb_add(PyObject *l, PyObject *r);
PyObject *ga_nb_subtract(PyObject *l, PyObject *r);
PyObject *ga_nb_multiply(PyObject *l, PyObject *r);
PyObject *ga_nb_true_divide(PyObject *l, PyObject *r);
PyObject *ga_nb_inplace_add(PyObject *l, PyObject *r);
PyObject *ga_nb_inplace_subtract(PyObject *l, PyObject *r);
PyObject *ga_nb_inplace_multiply(PyObject *l, PyObject *r);
PyObject *ga_nb_inplace_true_divide(PyObject *l, PyObject *r);
PyObject *ga_richcompare(PyObject *self, PyObject *other, int op);
PyObject *ga_m_array_ufunc(PyObject *self, PyObject *args, PyObject *kw);
PyObject *ga_f_register_protocols(PyObject *m, PyObject *args);

/* numpy_calls.c */
/* ufunc(*inputs) without keywords by numpy's loop into a new Go array;
 * *handled as for ga_binary_flat. */
PyObject *ga_plain_ufunc(PyObject *uf, PyObject *const *inputs, Py_ssize_t nin, int *handled);
extern PyMethodDef ga_numpy_call_methods[];  /* __array_function__ */

/* numpy_view.c */
/* Finds numpy's C API (after numpy_calls.c's protocols are registered): 1
 * where numpy views are made through it, 0 where np.asarray makes them. */
int ga_numpy_view_init(void);
/* A numpy array viewing the goarray array x, as np.asarray(x) gives it. */
PyObject *ga_numpy_view(PyObject *x);
PyObject *ga_f_numpy_view(PyObject *m, PyObject *x);

/* errors.c */
/* A kernel export's return code as a Python outcome: 0 done, else -1 with
 * KeyboardInterrupt (rc 1) or the kernel's error (kind, err) raised. */
int ga_kernel_error(int rc, int kind, const char *err);

#endif

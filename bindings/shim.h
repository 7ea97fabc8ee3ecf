/* shim.h: what the C and Go halves of goarray._goarray share: the instance
 * layout, the operand description kernels receive, and the C functions Go
 * calls. Declarations only: this header is included by Go files with
 * //export, whose preambles may not define anything. The C files' own
 * declarations are in internal.h. */
#ifndef GOARRAY_SHIM_H
#define GOARRAY_SHIM_H

#include "pyapi.h"
#include <stdint.h>
#include <stddef.h>

/* Bits of GAArray.bits. The first three are pybuf's export-record bits
 * (pybuf.BitCContig, BitFContig, BitReadOnly); record.go fails to compile
 * if they disagree. */
enum {
    GA_C_CONTIG = 1,
    GA_F_CONTIG = 2,
    GA_READONLY = 4,
    GA_OWNDATA = 8,    /* this object's Go array owns the storage */
    GA_PINNED = 16,    /* address published by __array_interface__: never moves */
    GA_NO_WRITE = 32,  /* may never become writable (broadcast view, read-only base) */
};

enum { GA_INLINE_DIMS = 4 }; /* ndim up to this needs no separate allocation */

/* Error kinds of Go errors (errors.go's errorKind); errors.c's ga_raise maps
 * each onto its Python exception class. */
enum {
    GA_ERR_VALUE = 1,
    GA_ERR_TYPE,
    GA_ERR_INDEX,
    GA_ERR_MEMORY,
    GA_ERR_BUFFER,
    GA_ERR_RUNTIME,
    GA_ERR_AXIS,
};

/* The instance layout. Everything the buffer protocol needs is here, in C
 * memory, computed by Go when the array or view is made: getbuffer never
 * calls Go. dims points to 4*ndim Py_ssize_t: shape, own strides, C-standard
 * strides and F-standard strides. */
typedef struct {
    PyObject_HEAD
    uintptr_t handle;        /* the Go array's handle; 0 if none yet (record.go's arrayOf) */
    char *data;              /* element (0, ..., 0) */
    Py_ssize_t len;          /* bytes of the elements (size * itemsize) */
    Py_ssize_t itemsize;
    int ndim;
    int dtype;               /* core.DType */
    unsigned int bits;
    Py_ssize_t exports;      /* live buffer exports and views (on the owner) */
    PyObject *base;          /* owning object for views, else NULL */
    PyObject *weakrefs;
    Py_buffer *foreign;      /* the exporter's buffer, held, for from_buffer arrays */
    Py_ssize_t *dims;
    Py_ssize_t inline_dims[4 * GA_INLINE_DIMS];
} GAArray;

/* One operand of a kernel call, as C hands it to Go: either a goarray
 * array's record or a foreign Py_buffer (held by C for the call). */
typedef struct {
    char *data;
    Py_ssize_t len;
    Py_ssize_t itemsize;
    const char *format;
    Py_ssize_t *shape;
    Py_ssize_t *strides;
    int ndim;
    int readonly;
    int dtype;      /* core.DType of a goarray operand (trusted); 0: parse format */
} GAOperand;

/* One argument of a kernel family (kernels.c's _call), by the type of its
 * parameter (codes.h's GA_PARAM_*): an array (op; none set for an optional
 * array given as None), an int (i), ints (i of them at ints), a float
 * (re) or a complex (re, im). */
typedef struct {
    GAOperand op;
    int none;
    Py_ssize_t i;
    Py_ssize_t *ints;
    double re, im;
} GAArg;

/* Python scalar operands of the flat binary kernels: which side is the
 * scalar (goaBinaryFlat's mode). */
enum { GA_SCALAR_NONE = 0, GA_SCALAR_RIGHT = 1, GA_SCALAR_LEFT = 2 };

enum { GA_MAX_FAMILIES = 64 }; /* kernel families the registry may hold */

/* Called by Go at import: the parameter types (GA_PARAM_*) of the kernel
 * family of code family (kernels.c). name lives as long as the process. */
void ga_set_family(int family, const char *name, int nparams, const int *types);

/* Called from Go while a kernel runs without the GIL, on the thread that
 * entered Go: retakes the GIL, runs Python's signal handlers, releases it.
 * Returns 1 if a handler raised (KeyboardInterrupt): stop. */
int ga_check_interrupt(void);

/* Called from Go (GIL held). */
void ga_raise(int kind, const char *msg, Py_ssize_t len);       /* errors.c */
void ga_unraisable(int kind, const char *msg, Py_ssize_t len);  /* errors.c: where nothing can raise */
GAArray *ga_alloc_owner(void);                                  /* array.c */
GAArray *ga_alloc_view(GAArray *self);                          /* array.c */
Py_ssize_t *ga_dims_alloc(GAArray *o, int ndim);                /* array.c */
void ga_set_format(int dtype, const char *format, const char *typestr); /* array.c */

/* getbuffer's answers (buffer.c), computed once by pybuf.Answer at import:
 * for the bits (GA_C_CONTIG | GA_F_CONTIG | GA_READONLY) and the request
 * flags (masked with GA_REQUEST_FLAGS), a GA_REPLY_* code; a refusal's
 * reason is one of the reasons set by index. */
enum {
    GA_REQUEST_FLAGS = 0x1ff,     /* the PyBUF_* bits getbuffer looks at */
    GA_REPLY_REFUSED = 7,         /* low bits: 0 granted, else the reason's index */
    GA_REPLY_STRIDES_OWN = 1 << 3,
    GA_REPLY_STRIDES_C = 2 << 3,
    GA_REPLY_STRIDES_F = 3 << 3,
    GA_REPLY_STRIDES = 3 << 3,    /* mask; 0: no strides */
    GA_REPLY_FORMAT = 1 << 5,
    GA_REPLY_ND = 1 << 6,
};
void ga_set_reply(unsigned int bits, int flags, int reply);
void ga_set_refusal(int index, const char *reason);

#endif

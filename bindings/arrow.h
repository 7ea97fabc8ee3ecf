/* arrow.h: the Arrow C Data and C Stream interfaces (the structures the
 * Arrow PyCapsule interface carries, as the Arrow specification defines
 * them) and goarray's Arrow entry points, defined in arrow.c. Not included
 * by Go files. */
#ifndef GOARRAY_ARROW_H
#define GOARRAY_ARROW_H

#include "shim.h"

/* ---- the Arrow C Data Interface ----------------------------------------- */

#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
    const char *format;
    const char *name;
    const char *metadata;
    int64_t flags;
    int64_t n_children;
    struct ArrowSchema **children;
    struct ArrowSchema *dictionary;
    void (*release)(struct ArrowSchema *);
    void *private_data;
};

struct ArrowArray {
    int64_t length;
    int64_t null_count;
    int64_t offset;
    int64_t n_buffers;
    int64_t n_children;
    const void **buffers;
    struct ArrowArray **children;
    struct ArrowArray *dictionary;
    void (*release)(struct ArrowArray *);
    void *private_data;
};

#endif

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE

struct ArrowArrayStream {
    int (*get_schema)(struct ArrowArrayStream *, struct ArrowSchema *out);
    int (*get_next)(struct ArrowArrayStream *, struct ArrowArray *out);
    const char *(*get_last_error)(struct ArrowArrayStream *);
    void (*release)(struct ArrowArrayStream *);
    void *private_data;
};

#endif

/* ---- goarray ------------------------------------------------------------ */

#define GA_ARROW_CAP_SCHEMA "arrow_schema"
#define GA_ARROW_CAP_ARRAY "arrow_array"
#define GA_ARROW_CAP_STREAM "arrow_array_stream"
#define GA_ARROW_MAX_LEVELS 64  /* fixed_size_list nesting: goarray's MAX_DIMS */

/* arrow.c. _arrow_export(src, format, shape, stream): (schema, array)
 * capsules, or one stream capsule, for the C-contiguous buffer of src. */
PyObject *ga_f_arrow_export(PyObject *m, PyObject *const *args, Py_ssize_t nargs);
/* _arrow_schema_formats(schema_capsule): the format strings of a schema
 * and of its first descendants, as a list of (format, n_children). */
PyObject *ga_f_arrow_schema_formats(PyObject *m, PyObject *capsule);
/* arrow_import.c. _arrow_import(schema_capsule, array_capsule): see there. */
PyObject *ga_f_arrow_import(PyObject *m, PyObject *const *args, Py_ssize_t nargs);
/* _arrow_import_stream(stream_capsule): see arrow_import.c. */
PyObject *ga_f_arrow_import_stream(PyObject *m, PyObject *capsule);
/* Makes the type that holds imported arrays; 0 or -1 with an exception. */
int ga_arrow_init(PyObject *module);

#endif

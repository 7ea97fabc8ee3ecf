/* arrow.c: the Arrow PyCapsule interface, export: the C side of
 * Array.__arrow_c_array__ and __arrow_c_stream__ (whose Python side is
 * goarray._arrow), following the Arrow C Data and C Stream interfaces. The
 * import (goarray.from_arrow) is in arrow_import.c.
 *
 * Every exported ArrowArray (the top one, each fixed_size_list child, each
 * array a stream's get_next returns) holds a reference on one shared root,
 * which holds a Py_buffer on the exported memory (obtained through the
 * buffer protocol, so it counts as an export: resize refuses) until the
 * last of them is released. Consumers release from any thread, with or
 * without the GIL, and may move the structs: a release reads only
 * private_data, sets release to NULL, and the last one takes the GIL itself
 * to release the buffer (as the DLPack deleter). Schemas own only malloc'd
 * memory and never need the GIL. Every node (schema or array) is its own
 * allocation, so a consumer may move a child out and release the parent, as
 * the specification allows.
 *
 * Only the Python limited API is used (the extension is abi3). */
#include "arrow.h"
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Any aligned address serves for the buffer of zero elements. */
static int64_t empty_block[2];

/* ---- export: schema ------------------------------------------------------ */

typedef struct {
    char format[32];
    struct ArrowSchema *child_ptr;
    struct ArrowSchema child;
} SchemaNode;

static void schema_release(struct ArrowSchema *s) {
    SchemaNode *n = s->private_data;
    if (n) {
        if (n->child.release) n->child.release(&n->child);
        free(n);
    }
    s->release = NULL;
}

/* Fills out with the schema of shape[level:] (fixed_size_list levels, then
 * the leaf format); 0, or -1 (out of memory, out left released). */
static int schema_fill(struct ArrowSchema *out, const char *leaf, const int64_t *shape, int nd, int level) {
    SchemaNode *n = calloc(1, sizeof(SchemaNode));
    if (!n) return -1;
    memset(out, 0, sizeof *out);
    out->name = level == 0 ? "" : "item";
    out->flags = ARROW_FLAG_NULLABLE;
    out->private_data = n;
    out->release = schema_release;
    out->format = n->format;
    if (level == nd - 1) {
        snprintf(n->format, sizeof n->format, "%s", leaf);
        return 0;
    }
    snprintf(n->format, sizeof n->format, "+w:%lld", (long long)shape[level + 1]);
    if (schema_fill(&n->child, leaf, shape, nd, level + 1) < 0) {
        out->release(out);
        return -1;
    }
    n->child_ptr = &n->child;
    out->n_children = 1;
    out->children = &n->child_ptr;
    return 0;
}

/* ---- export: arrays ------------------------------------------------------- */

typedef struct {
    atomic_long refs;
    Py_buffer view;
} ExportRoot;

static void root_decref(ExportRoot *r) {
    if (atomic_fetch_sub(&r->refs, 1) != 1) return;
    /* At interpreter exit (a consumer's static destructors) there is no
     * Python left to release to: leak, as the DLPack deleter does. */
    if (!Py_IsInitialized()) return;
    PyGILState_STATE st = PyGILState_Ensure();
    PyBuffer_Release(&r->view);
    PyGILState_Release(st);
    free(r);
}

typedef struct {
    ExportRoot *root;
    const void *buffers[2];
    struct ArrowArray *child_ptr;
    struct ArrowArray child;
} ArrayNode;

static void array_release(struct ArrowArray *a) {
    ArrayNode *n = a->private_data;
    if (n) {
        if (n->child.release) n->child.release(&n->child);
        root_decref(n->root);
        free(n);
    }
    a->release = NULL;
}

/* Fills out with the array of shape[level:] over the root's memory (bits:
 * a bit-packed leaf of length elements); takes a reference on root for
 * each node. 0, or -1 (out of memory, out left released). */
static int array_fill(struct ArrowArray *out, ExportRoot *root, const int64_t *shape, int nd, int level,
                      int64_t length) {
    ArrayNode *n = calloc(1, sizeof(ArrayNode));
    if (!n) return -1;
    atomic_fetch_add(&root->refs, 1);
    n->root = root;
    memset(out, 0, sizeof *out);
    out->length = length;
    out->null_count = 0;
    out->offset = 0;
    out->buffers = n->buffers;
    out->private_data = n;
    out->release = array_release;
    if (level == nd - 1) {
        out->n_buffers = 2;
        n->buffers[1] = root->view.buf ? root->view.buf : (void *)empty_block;
        return 0;
    }
    out->n_buffers = 1;
    if (array_fill(&n->child, root, shape, nd, level + 1, length * shape[level + 1]) < 0) {
        out->release(out);
        return -1;
    }
    n->child_ptr = &n->child;
    out->n_children = 1;
    out->children = &n->child_ptr;
    return 0;
}

/* ---- export: stream ------------------------------------------------------- */

typedef struct {
    ExportRoot *root;
    int done;
    int nd;
    char leaf[16];
    int64_t shape[];
} StreamPriv;

static int stream_get_schema(struct ArrowArrayStream *s, struct ArrowSchema *out) {
    StreamPriv *p = s->private_data;
    return schema_fill(out, p->leaf, p->shape, p->nd, 0) < 0 ? 12 /* ENOMEM */ : 0;
}

static int stream_get_next(struct ArrowArrayStream *s, struct ArrowArray *out) {
    StreamPriv *p = s->private_data;
    if (p->done) {
        memset(out, 0, sizeof *out); /* release NULL: the end of the stream */
        return 0;
    }
    if (array_fill(out, p->root, p->shape, p->nd, 0, p->shape[0]) < 0) return 12;
    p->done = 1;
    return 0;
}

static const char *stream_last_error(struct ArrowArrayStream *s) { return NULL; }

static void stream_release(struct ArrowArrayStream *s) {
    StreamPriv *p = s->private_data;
    if (p) {
        root_decref(p->root);
        free(p);
    }
    s->release = NULL;
}

/* ---- export: capsules ----------------------------------------------------- */

/* A capsule nobody consumed still holds a live struct: release it. */
static void schema_capsule_destructor(PyObject *cap) {
    struct ArrowSchema *s = PyCapsule_GetPointer(cap, GA_ARROW_CAP_SCHEMA);
    if (!s) {
        PyErr_Clear();
        return;
    }
    if (s->release) s->release(s);
    free(s);
}

static void array_capsule_destructor(PyObject *cap) {
    struct ArrowArray *a = PyCapsule_GetPointer(cap, GA_ARROW_CAP_ARRAY);
    if (!a) {
        PyErr_Clear();
        return;
    }
    if (a->release) a->release(a);
    free(a);
}

static void stream_capsule_destructor(PyObject *cap) {
    struct ArrowArrayStream *s = PyCapsule_GetPointer(cap, GA_ARROW_CAP_STREAM);
    if (!s) {
        PyErr_Clear();
        return;
    }
    if (s->release) s->release(s);
    free(s);
}

static PyObject *no_memory(void *a, void *b) {
    free(a);
    free(b);
    return PyErr_NoMemory();
}

PyObject *ga_f_arrow_export(PyObject *m, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 4 || !PyUnicode_Check(args[1]) || !PyTuple_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "_arrow_export(src, format, shape, stream)");
        return NULL;
    }
    const char *leaf = PyUnicode_AsUTF8AndSize(args[1], NULL);
    if (!leaf) return NULL;
    if (strlen(leaf) >= 16) {
        PyErr_SetString(PyExc_ValueError, "_arrow_export: format too long");
        return NULL;
    }
    int stream = PyObject_IsTrue(args[3]);
    if (stream < 0) return NULL;
    Py_ssize_t nd = PyTuple_Size(args[2]);
    if (nd < 1 || nd > GA_ARROW_MAX_LEVELS) {
        PyErr_SetString(PyExc_ValueError, "_arrow_export: 1 to 64 dimensions");
        return NULL;
    }
    int64_t shape[GA_ARROW_MAX_LEVELS];
    for (Py_ssize_t i = 0; i < nd; i++) {
        long long v = PyLong_AsLongLong(PyTuple_GetItem(args[2], i));
        if (v == -1 && PyErr_Occurred()) return NULL;
        if (v < 0) {
            PyErr_SetString(PyExc_ValueError, "_arrow_export: negative dimension");
            return NULL;
        }
        shape[i] = v;
    }
    ExportRoot *root = calloc(1, sizeof(ExportRoot));
    if (!root) return PyErr_NoMemory();
    /* Counts as an export of the array until the last release. */
    if (PyObject_GetBuffer(args[0], &root->view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
        free(root);
        return NULL;
    }
    atomic_init(&root->refs, 1); /* ours, dropped below */
    PyObject *result = NULL;
    if (stream) {
        struct ArrowArrayStream *s = calloc(1, sizeof *s);
        StreamPriv *p = calloc(1, sizeof(StreamPriv) + sizeof(int64_t) * (size_t)nd);
        if (!s || !p) {
            no_memory(s, p);
            goto done;
        }
        atomic_fetch_add(&root->refs, 1);
        p->root = root;
        p->nd = (int)nd;
        memcpy(p->leaf, leaf, strlen(leaf) + 1);
        memcpy(p->shape, shape, sizeof(int64_t) * (size_t)nd);
        s->get_schema = stream_get_schema;
        s->get_next = stream_get_next;
        s->get_last_error = stream_last_error;
        s->release = stream_release;
        s->private_data = p;
        result = PyCapsule_New(s, GA_ARROW_CAP_STREAM, stream_capsule_destructor);
        if (!result) {
            s->release(s);
            free(s);
        }
        goto done;
    }
    struct ArrowSchema *sc = calloc(1, sizeof *sc);
    struct ArrowArray *ar = calloc(1, sizeof *ar);
    if (!sc || !ar) {
        no_memory(sc, ar);
        goto done;
    }
    if (schema_fill(sc, leaf, shape, (int)nd, 0) < 0) {
        no_memory(sc, ar);
        goto done;
    }
    if (array_fill(ar, root, shape, (int)nd, 0, shape[0]) < 0) {
        sc->release(sc);
        no_memory(sc, ar);
        goto done;
    }
    PyObject *scap = PyCapsule_New(sc, GA_ARROW_CAP_SCHEMA, schema_capsule_destructor);
    if (!scap) {
        sc->release(sc);
        free(sc);
        ar->release(ar);
        free(ar);
        goto done;
    }
    PyObject *acap = PyCapsule_New(ar, GA_ARROW_CAP_ARRAY, array_capsule_destructor);
    if (!acap) {
        Py_DECREF(scap);
        ar->release(ar);
        free(ar);
        goto done;
    }
    result = PyTuple_New(2);
    if (!result) {
        Py_DECREF(scap);
        Py_DECREF(acap);
        goto done;
    }
    PyTuple_SetItem(result, 0, scap);
    PyTuple_SetItem(result, 1, acap);
done:
    root_decref(root);
    return result;
}

PyObject *ga_f_arrow_schema_formats(PyObject *m, PyObject *capsule) {
    struct ArrowSchema *s = PyCapsule_GetPointer(capsule, GA_ARROW_CAP_SCHEMA);
    if (!s) return NULL;
    if (!s->release) {
        PyErr_SetString(PyExc_ValueError, "the Arrow schema capsule was already consumed (released)");
        return NULL;
    }
    PyObject *list = PyList_New(0);
    for (int level = 0; list && s && level < GA_ARROW_MAX_LEVELS; level++) {
        PyObject *t = Py_BuildValue("(sLi)", s->format ? s->format : "", (long long)s->n_children,
                                    s->dictionary != NULL);
        if (!t || PyList_Append(list, t) < 0) Py_CLEAR(list);
        Py_XDECREF(t);
        s = s->n_children >= 1 && s->children ? s->children[0] : NULL;
    }
    return list;
}

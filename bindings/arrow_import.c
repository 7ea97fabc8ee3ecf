/* arrow_import.c: the Arrow PyCapsule interface, import: the C side of
 * goarray.from_arrow (whose Python side is goarray._arrow), following the
 * Arrow C Data and C Stream interfaces.
 *
 * The producer's ArrowArray is moved into a holder object (_ArrowMemory)
 * that exports the data buffer through the buffer protocol (read-only:
 * Arrow memory is immutable) and calls the producer's release when it is
 * deallocated; the goarray array is a from_buffer view of the holder, so
 * the release runs exactly once, when the last view is gone. Streams are
 * read with the GIL released.
 *
 * Only the Python limited API is used (the extension is abi3). */
#include "arrow.h"
#include <stdlib.h>
#include <string.h>

/* Any aligned address serves for the buffer of zero elements. */
static int64_t empty_block[2];

/* Memory of an imported array: the owner holds the producer's moved
 * ArrowArray and releases it when deallocated; regions of it (validity
 * bitmaps) hold the owner. Each exports one read-only block. */
typedef struct {
    PyObject_HEAD
    PyObject *base;         /* the owner, for a region; NULL for the owner */
    struct ArrowArray arr;  /* the owner's moved array */
    char *buf;
    Py_ssize_t len;
    Py_ssize_t itemsize;
    const char *format;
    int ndim;
    Py_ssize_t dims[2 * GA_ARROW_MAX_LEVELS]; /* shape, then strides */
} ArrowMemory;

static PyTypeObject *memory_type;

static void memory_dealloc(PyObject *obj) {
    ArrowMemory *h = (ArrowMemory *)obj;
    PyTypeObject *tp = Py_TYPE(obj);
    if (h->arr.release) {
        /* The producer's release may run Python code: keep any exception
         * in flight out of its way. */
        PyObject *et, *ev, *tb;
        PyErr_Fetch(&et, &ev, &tb);
        h->arr.release(&h->arr);
        h->arr.release = NULL;
        PyErr_Restore(et, ev, tb);
    }
    Py_CLEAR(h->base);
    freefunc f = (freefunc)PyType_GetSlot(tp, Py_tp_free);
    f(obj);
    Py_DECREF(tp);
}

static int memory_getbuffer(PyObject *obj, Py_buffer *view, int flags) {
    ArrowMemory *h = (ArrowMemory *)obj;
    if (flags & PyBUF_WRITABLE) {
        PyErr_SetString(PyExc_BufferError, "Arrow memory is read-only");
        return -1;
    }
    view->buf = h->buf;
    view->obj = Py_NewRef(obj);
    view->len = h->len;
    view->readonly = 1;
    view->itemsize = h->itemsize;
    view->format = (flags & PyBUF_FORMAT) == PyBUF_FORMAT ? (char *)h->format : NULL;
    view->ndim = (flags & PyBUF_ND) == PyBUF_ND ? h->ndim : 0;
    view->shape = (flags & PyBUF_ND) == PyBUF_ND ? h->dims : NULL;
    view->strides = (flags & PyBUF_STRIDES) == PyBUF_STRIDES ? h->dims + h->ndim : NULL;
    view->suboffsets = NULL;
    view->internal = NULL;
    return 0;
}

static PyType_Slot memory_slots[] = {
    {Py_tp_dealloc, memory_dealloc},
    {Py_bf_getbuffer, memory_getbuffer},
    {Py_tp_doc, "Memory of an array imported through the Arrow C Data Interface: exports it read-only and "
                "calls the producer's release when it is deallocated."},
    {0, NULL}
};

static PyType_Spec memory_spec = {
    "goarray._goarray._ArrowMemory",
    sizeof(ArrowMemory),
    0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    memory_slots,
};

int ga_arrow_init(PyObject *module) {
    memory_type = (PyTypeObject *)PyType_FromSpec(&memory_spec);
    if (!memory_type) return -1;
    return PyModule_AddObjectRef(module, "_ArrowMemory", (PyObject *)memory_type);
}

static ArrowMemory *memory_new(PyObject *base, char *buf, Py_ssize_t len, Py_ssize_t itemsize, const char *format,
                               int ndim, const int64_t *shape) {
    allocfunc alloc = (allocfunc)PyType_GetSlot(memory_type, Py_tp_alloc);
    ArrowMemory *h = (ArrowMemory *)alloc(memory_type, 0);
    if (!h) return NULL;
    h->base = Py_XNewRef(base);
    h->buf = buf ? buf : (char *)empty_block;
    h->len = len;
    h->itemsize = itemsize;
    h->format = format;
    h->ndim = ndim;
    Py_ssize_t stride = itemsize;
    for (int i = ndim - 1; i >= 0; i--) {
        h->dims[i] = (Py_ssize_t)shape[i];
        h->dims[ndim + i] = stride;
        stride *= shape[i] ? (Py_ssize_t)shape[i] : 1;
    }
    return h;
}

/* The PEP 3118 format and itemsize of a primitive Arrow format ("b", bool,
 * has itemsize 0: bit-packed); NULL if goarray has no such dtype. */
static const char *leaf_format(const char *f, Py_ssize_t *itemsize) {
    if (!f || !f[0] || f[1]) return NULL;
    switch (f[0]) {
    case 'b': *itemsize = 0; return "B";
    case 'c': *itemsize = 1; return "b";
    case 'C': *itemsize = 1; return "B";
    case 's': *itemsize = 2; return "h";
    case 'S': *itemsize = 2; return "H";
    case 'i': *itemsize = 4; return "i";
    case 'I': *itemsize = 4; return "I";
    case 'l': *itemsize = 8; return "q";
    case 'L': *itemsize = 8; return "Q";
    case 'e': *itemsize = 2; return "e";
    case 'f': *itemsize = 4; return "f";
    case 'g': *itemsize = 8; return "d";
    }
    return NULL;
}

/* Null (zero) bits of a validity bitmap over [start, start + n). */
static int64_t count_nulls(const uint8_t *bits, int64_t start, int64_t n) {
    int64_t valid = 0, i = start, end = start + n;
    for (; i < end && (i & 63); i++) valid += (bits[i >> 3] >> (i & 7)) & 1;
    for (; i + 64 <= end; i += 64) {
        uint64_t w;
        memcpy(&w, bits + (i >> 3), 8);
        valid += __builtin_popcountll(w);
    }
    for (; i < end; i++) valid += (bits[i >> 3] >> (i & 7)) & 1;
    return n - valid;
}

/* What an Arrow format string names, for messages. */
static const char *format_name(const char *f) {
    static const struct { const char *prefix; const char *name; } names[] = {
        {"n", "null"}, {"u", "utf8 string"}, {"U", "large utf8 string"}, {"vu", "utf8 string view"},
        {"z", "binary"}, {"Z", "large binary"}, {"vz", "binary view"}, {"w:", "fixed-size binary"},
        {"d:", "decimal"}, {"tdD", "date32"}, {"tdm", "date64"}, {"tt", "time"}, {"ts", "timestamp"},
        {"tD", "duration"}, {"ti", "interval"}, {"+l", "list"}, {"+L", "large list"}, {"+vl", "list view"},
        {"+m", "map"}, {"+s", "struct"}, {"+ud", "dense union"}, {"+us", "sparse union"},
        {"+r", "run-end encoded"},
    };
    for (size_t i = 0; f && i < sizeof names / sizeof names[0]; i++)
        if (strncmp(f, names[i].prefix, strlen(names[i].prefix)) == 0 &&
            (names[i].prefix[strlen(names[i].prefix) - 1] == ':' || names[i].prefix[0] == 't' ||
             strlen(f) == strlen(names[i].prefix)))
            return names[i].name;
    return "an Arrow type";
}

static PyObject *type_error(const char *what, const char *format) {
    PyErr_Format(PyExc_TypeError, "from_arrow(): %s: %s (Arrow format string '%s')", what, format_name(format),
                 format ? format : "");
    return NULL;
}

/* Describes the producer's array a (moved into a new owner) with schema s:
 * (memory, leaf format, shape, bit offset, nulls, validity) where memory
 * exports the elements (the bytes holding the bits, for a bool leaf, whose
 * first element is bit `bit offset`), nulls counts the null slots at every
 * level over the range in use, and validity lists (region, bit offset,
 * length) of the levels with nulls. */
static PyObject *import_one(const struct ArrowSchema *s, struct ArrowArray *moved) {
    allocfunc alloc = (allocfunc)PyType_GetSlot(memory_type, Py_tp_alloc);
    ArrowMemory *owner = (ArrowMemory *)alloc(memory_type, 0);
    if (!owner) {
        moved->release(moved);
        moved->release = NULL;
        return NULL;
    }
    owner->arr = *moved; /* released by dealloc from now on */
    moved->release = NULL;
    const struct ArrowArray *lv[GA_ARROW_MAX_LEVELS];
    int64_t shape[GA_ARROW_MAX_LEVELS], start[GA_ARROW_MAX_LEVELS], count[GA_ARROW_MAX_LEVELS];
    const struct ArrowArray *a = &owner->arr;
    int nd = 0;
    PyObject *result = NULL, *validity = NULL;
    if (a->length < 0 || a->offset < 0) {
        PyErr_SetString(PyExc_ValueError, "from_arrow(): negative length or offset");
        goto fail;
    }
    shape[0] = a->length;
    start[0] = a->offset;
    count[0] = a->length;
    /* A struct of one field (a one-column record batch, as a query
     * result): that column. */
    const struct ArrowArray *wrap = NULL;
    if (s->format && strcmp(s->format, "+s") == 0) {
        if (s->n_children != 1 || a->n_children != 1 || !s->children || !a->children) {
            PyErr_Format(PyExc_TypeError,
                         "from_arrow(): a struct (a record batch or table) of %lld fields (Arrow format string "
                         "'+s'); from_arrow takes one column",
                         (long long)s->n_children);
            goto fail;
        }
        wrap = a;
        s = s->children[0];
        a = a->children[0];
        if (a->offset < 0 || a->length < 0 || __builtin_add_overflow(start[0], a->offset, &start[0]) ||
            wrap->offset + wrap->length > a->length) {
            PyErr_SetString(PyExc_ValueError, "from_arrow(): the struct's field is shorter than the struct");
            goto fail;
        }
    }
    for (;;) {
        const char *f = s->format;
        if (s->dictionary || a->dictionary) {
            PyErr_Format(PyExc_TypeError,
                         "from_arrow(): dictionary-encoded arrays are not supported (Arrow format string '%s' of "
                         "the indices)",
                         f ? f : "");
            goto fail;
        }
        lv[nd] = a;
        if (f && strncmp(f, "+w:", 3) == 0) {
            char *end;
            long long k = strtoll(f + 3, &end, 10);
            if (*end || k < 0 || s->n_children != 1 || a->n_children != 1 || !a->children || !s->children) {
                PyErr_Format(PyExc_ValueError, "from_arrow(): malformed fixed_size_list '%s'", f);
                goto fail;
            }
            if (nd + 1 >= GA_ARROW_MAX_LEVELS) {
                PyErr_SetString(PyExc_ValueError, "from_arrow(): more than 64 nested fixed_size_list levels");
                goto fail;
            }
            const struct ArrowArray *c = a->children[0];
            if (c->offset < 0 || c->length < 0) {
                PyErr_SetString(PyExc_ValueError, "from_arrow(): negative length or offset");
                goto fail;
            }
            shape[nd + 1] = k;
            if (__builtin_mul_overflow(start[nd], k, &start[nd + 1]) ||
                __builtin_add_overflow(start[nd + 1], c->offset, &start[nd + 1]) ||
                __builtin_mul_overflow(count[nd], k, &count[nd + 1]) || start[nd + 1] + count[nd + 1] > c->offset + c->length) {
                PyErr_Format(PyExc_ValueError, "from_arrow(): the child of '%s' is shorter than its parent needs", f);
                goto fail;
            }
            nd++;
            s = s->children[0];
            a = c;
            continue;
        }
        Py_ssize_t itemsize;
        const char *pf = leaf_format(f, &itemsize);
        if (!pf) {
            if (f && f[0] == '+')
                type_error("nested types other than fixed_size_list are not supported", f);
            else
                type_error("the Arrow type has no goarray dtype", f);
            goto fail;
        }
        if (a->n_buffers != 2 || !a->buffers) {
            PyErr_Format(PyExc_ValueError, "from_arrow(): a '%s' array needs 2 buffers, it has %lld", f,
                         (long long)a->n_buffers);
            goto fail;
        }
        nd++;
        /* The elements in use. */
        char *data = (char *)a->buffers[1];
        int64_t first = start[nd - 1], n = count[nd - 1];
        if (!data && n) {
            PyErr_SetString(PyExc_ValueError, "from_arrow(): the array has elements but no data buffer");
            goto fail;
        }
        int64_t bit = 0;
        if (itemsize == 0) { /* bool: the bytes holding bits [first, first + n) */
            owner->buf = data ? data + first / 8 : NULL;
            bit = first % 8;
            owner->len = (Py_ssize_t)((bit + n + 7) / 8);
            owner->itemsize = 1;
            owner->ndim = 1;
            owner->dims[0] = owner->len;
            owner->dims[1] = 1;
        } else {
            owner->buf = data ? data + first * itemsize : (char *)empty_block;
            owner->len = (Py_ssize_t)(n * itemsize);
            owner->itemsize = itemsize;
            owner->ndim = nd;
            Py_ssize_t stride = itemsize;
            for (int i = nd - 1; i >= 0; i--) {
                owner->dims[i] = (Py_ssize_t)shape[i];
                owner->dims[nd + i] = stride;
                stride *= shape[i] ? (Py_ssize_t)shape[i] : 1;
            }
        }
        owner->format = pf;
        /* Nulls at every level, over the range in use. */
        int64_t nulls = 0;
        for (int i = wrap ? -1 : 0; i < nd; i++) {
            const struct ArrowArray *x = i < 0 ? wrap : lv[i];
            int64_t st = i < 0 ? wrap->offset : start[i], cnt = count[i < 0 ? 0 : i];
            const uint8_t *bits = x->n_buffers >= 1 && x->buffers ? x->buffers[0] : NULL;
            if (x->null_count == 0 || !bits || !cnt) continue;
            /* The top level's null_count covers exactly the range in use. */
            int64_t k = (i == (wrap ? -1 : 0) && x->null_count > 0) ? x->null_count : count_nulls(bits, st, cnt);
            if (!k) continue;
            nulls += k;
            if (!validity && !(validity = PyList_New(0))) goto fail;
            int64_t nb = (st % 8 + cnt + 7) / 8;
            ArrowMemory *r = memory_new((PyObject *)owner, (char *)bits + st / 8, (Py_ssize_t)nb, 1, "B", 1, &nb);
            if (!r) goto fail;
            PyObject *t = Py_BuildValue("(NLL)", (PyObject *)r, (long long)(st % 8), (long long)cnt);
            if (!t || PyList_Append(validity, t) < 0) {
                Py_XDECREF(t);
                goto fail;
            }
            Py_DECREF(t);
        }
        PyObject *shp = PyTuple_New(nd);
        if (!shp) goto fail;
        for (int i = 0; i < nd; i++) PyTuple_SetItem(shp, i, PyLong_FromLongLong(shape[i]));
        result = Py_BuildValue("(OsNLLO)", (PyObject *)owner, f, shp, (long long)bit, (long long)nulls,
                               validity ? validity : Py_None);
        break;
    }
fail:
    Py_XDECREF(validity);
    Py_DECREF(owner);
    return result;
}

PyObject *ga_f_arrow_import(PyObject *m, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "_arrow_import(schema_capsule, array_capsule)");
        return NULL;
    }
    struct ArrowSchema *s = PyCapsule_GetPointer(args[0], GA_ARROW_CAP_SCHEMA);
    if (!s) return NULL;
    struct ArrowArray *a = PyCapsule_GetPointer(args[1], GA_ARROW_CAP_ARRAY);
    if (!a) return NULL;
    if (!s->release || !a->release) {
        PyErr_SetString(PyExc_ValueError, "from_arrow(): the Arrow capsule was already consumed (released)");
        return NULL;
    }
    return import_one(s, a);
}

/* _arrow_import_stream(capsule): (formats, chunks): the schema's formats
 * (as _arrow_schema_formats) and import_one of every array of the stream,
 * read with the GIL released. */
PyObject *ga_f_arrow_import_stream(PyObject *m, PyObject *capsule) {
    struct ArrowArrayStream *src = PyCapsule_GetPointer(capsule, GA_ARROW_CAP_STREAM);
    if (!src) return NULL;
    if (!src->release) {
        PyErr_SetString(PyExc_ValueError, "from_arrow(): the Arrow stream capsule was already consumed (released)");
        return NULL;
    }
    struct ArrowArrayStream st = *src; /* ours from now on */
    src->release = NULL;
    struct ArrowSchema schema;
    memset(&schema, 0, sizeof schema);
    struct ArrowArray *chunks = NULL;
    size_t n = 0, cap = 0;
    int rc, oom = 0;
    Py_BEGIN_ALLOW_THREADS
    rc = st.get_schema(&st, &schema);
    while (rc == 0) {
        if (n == cap) {
            size_t c2 = cap ? 2 * cap : 4;
            struct ArrowArray *p = realloc(chunks, c2 * sizeof *p);
            if (!p) {
                oom = 1;
                break;
            }
            chunks = p;
            cap = c2;
        }
        rc = st.get_next(&st, &chunks[n]);
        if (rc != 0 || !chunks[n].release) break;
        n++;
    }
    Py_END_ALLOW_THREADS
    PyObject *result = NULL, *list = NULL, *formats = NULL;
    if (oom) {
        PyErr_NoMemory();
    } else if (rc != 0) {
        const char *e = st.get_last_error ? st.get_last_error(&st) : NULL;
        PyErr_Format(PyExc_OSError, "from_arrow(): the Arrow stream failed (error %d): %s", rc,
                     e ? e : "no message");
    } else if ((list = PyList_New(0))) {
        PyObject *cs = PyCapsule_New(&schema, GA_ARROW_CAP_SCHEMA, NULL);
        formats = cs ? ga_f_arrow_schema_formats(NULL, cs) : NULL;
        Py_XDECREF(cs);
        size_t i = 0;
        for (; formats && i < n; i++) {
            PyObject *one = import_one(&schema, &chunks[i]); /* moves chunks[i] */
            if (!one || PyList_Append(list, one) < 0) {
                Py_XDECREF(one);
                i++;
                break;
            }
            Py_DECREF(one);
        }
        if (!PyErr_Occurred()) result = Py_BuildValue("(OO)", formats, list);
    }
    for (size_t i = 0; i < n; i++)
        if (chunks[i].release) chunks[i].release(&chunks[i]);
    free(chunks);
    Py_XDECREF(list);
    Py_XDECREF(formats);
    if (schema.release) schema.release(&schema);
    if (st.release) st.release(&st);
    return result;
}

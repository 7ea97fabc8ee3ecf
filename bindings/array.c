/* array.c: the type _goarray._ArrayBase (goarray.Array subclasses it in
 * Python): allocation and lifetime of its objects, their attributes, and
 * the type's slots. The buffer protocol (buffer.c), indexing (indexing.c),
 * the methods (methods.c) and the operators (protocols.c) fill the slots.
 *
 * An object's layout and its export record are C memory that Go wrote when
 * the array or view was made (record.go), so reading an attribute or
 * serving a buffer never calls Go. */
#include "internal.h"

Py_ssize_t ga_dtype_itemsize(long d) {
    static const Py_ssize_t sizes[GA_NDTYPES] = GA_DT_ITEMSIZES;
    return d >= 0 && d < GA_NDTYPES ? sizes[d] : 0;
}

GAArray *ga_alloc_object(void) {
    allocfunc f = (allocfunc)PyType_GetSlot(ga_state.array_type, Py_tp_alloc);
    GAArray *o = (GAArray *)f(ga_state.array_type, 0);
    if (o) o->dims = o->inline_dims;
    return o;
}

GAArray *ga_owner_of(GAArray *o) { return o->base ? (GAArray *)o->base : o; }

/* ---- called from Go --------------------------------------------------- */

GAArray *ga_alloc_owner(void) { return ga_alloc_object(); }

GAArray *ga_alloc_view(GAArray *self) {
    GAArray *o = ga_alloc_object();
    if (!o) return NULL;
    GAArray *owner = ga_owner_of(self);
    Py_INCREF((PyObject *)owner);
    o->base = (PyObject *)owner;
    owner->exports++;
    o->bits = self->bits & (GA_READONLY | GA_NO_WRITE);
    return o;
}

Py_ssize_t *ga_dims_alloc(GAArray *o, int ndim) {
    if (o->dims != o->inline_dims) free(o->dims);
    o->dims = o->inline_dims;
    if (ndim > GA_INLINE_DIMS) {
        o->dims = malloc(sizeof(Py_ssize_t) * 4 * (size_t)ndim);
        if (!o->dims) abort(); /* a few hundred bytes: nothing sensible to do */
    }
    return o->dims;
}

void ga_set_format(int dtype, const char *format, const char *typestr) {
    if (dtype >= 0 && dtype < GA_NDTYPES) {
        ga_state.formats[dtype] = format;
        ga_state.typestrs[dtype] = typestr;
    }
}

/* ---- lifetime --------------------------------------------------------- */

/* Releasing a Go array costs a C-to-Go call (~100 ns), as much as the rest
 * of making and dropping a small array. Handles of small arrays and of views
 * are queued (under the GIL) and released in one call per batch; large
 * blocks are released at once so their memory goes back to the OS promptly.
 * The queue holds at most GA_FREE_BATCH * 64 KiB. */
#define GA_FREE_NOW_BYTES 65536

static void flush_queue(void) {
    if (ga_state.free_queued && !ga_state.forked) goaReleaseBatch(ga_state.free_queue, ga_state.free_queued);
    ga_state.free_queued = 0;
}

static void queue_handle(uintptr_t handle, int owner) {
    ga_state.free_queue[ga_state.free_queued++] = (handle << 1) | (uintptr_t)owner;
    if (ga_state.free_queued == GA_FREE_BATCH) flush_queue();
}

void ga_flush_free_queue(void) {
    if (!ga_state.forked)
        for (int i = 0; i < ga_state.nspares; i++) queue_handle(ga_state.spares[i].handle, 1);
    ga_state.nspares = 0;
    flush_queue();
}

static void release_handle(GAArray *self) {
    int owner = (self->bits & GA_OWNDATA) != 0;
    if (ga_state.forked) return; /* the Go runtime cannot run in a forked child: leak */
    if (owner && self->len > GA_FREE_NOW_BYTES) {
        goaRelease(self->handle, owner);
        return;
    }
    queue_handle(self->handle, owner);
}

/* ---- spares ------------------------------------------------------------ */

/* Making a small array costs a call into Go (the Go array, its handle, its
 * memory) and dropping it another (batched above): most of ga.empty(1000)'s
 * time, and of every small result's. A dropped small owning array that is
 * fresh (C- or F-contiguous, writable, unexported, in inline dims) is kept
 * with its Go array instead, up to GA_NSPARES of them (GA_SPARE_MAX_BYTES
 * each), and the next empty/zeros of its dtype, shape and order takes it
 * over without calling Go. Its Go array is exactly what goaNew would make
 * (an owner at offset 0 with those strides): the C record mirrors the Go
 * array, and only records of such arrays are kept. ga_flush_free_queue
 * releases them (_allocated and _live_handles flush first). */

static int standard_strides(const Py_ssize_t *dims, int nd, int order) {
    const Py_ssize_t *own = dims + nd, *std = dims + (order == 'F' ? 3 : 2) * nd;
    for (int i = 0; i < nd; i++)
        if (own[i] != std[i]) return 0;
    return 1;
}

static int keep_spare(GAArray *self) {
    unsigned int b = self->bits;
    int nd = self->ndim;
    if (ga_state.forked || self->base || self->foreign || self->exports || !(b & GA_OWNDATA) ||
        (b & (GA_READONLY | GA_NO_WRITE)) || self->dims != self->inline_dims || nd > GA_INLINE_DIMS ||
        self->len <= 0 || self->len > GA_SPARE_MAX_BYTES)
        return 0;
    if (!standard_strides(self->dims, nd, 'C') && !standard_strides(self->dims, nd, 'F')) return 0;
    if (ga_state.nspares == GA_NSPARES) {
        /* the oldest goes */
        queue_handle(ga_state.spares[0].handle, 1);
        memmove(&ga_state.spares[0], &ga_state.spares[1], sizeof(GASpare) * (GA_NSPARES - 1));
        ga_state.nspares--;
    }
    GASpare *s = &ga_state.spares[ga_state.nspares++];
    s->handle = self->handle;
    s->data = self->data;
    s->len = self->len;
    s->itemsize = self->itemsize;
    s->ndim = nd;
    s->dtype = self->dtype;
    s->bits = b & (GA_C_CONTIG | GA_F_CONTIG | GA_OWNDATA);
    memcpy(s->dims, self->dims, sizeof(Py_ssize_t) * 4 * (size_t)nd);
    return 1;
}

int ga_take_spare(GAArray *o, int dtype, int ndim, const Py_ssize_t *shape, int order, int zero) {
    for (int i = ga_state.nspares - 1; i >= 0; i--) {
        GASpare *s = &ga_state.spares[i];
        if (s->dtype != dtype || s->ndim != ndim) continue;
        if (ndim && memcmp(s->dims, shape, sizeof(Py_ssize_t) * (size_t)ndim) != 0) continue;
        if (!standard_strides(s->dims, ndim, order)) continue;
        o->handle = s->handle;
        o->data = s->data;
        o->len = s->len;
        o->itemsize = s->itemsize;
        o->ndim = ndim;
        o->dtype = dtype;
        o->bits = s->bits;
        o->dims = o->inline_dims;
        memcpy(o->inline_dims, s->dims, sizeof(Py_ssize_t) * 4 * (size_t)ndim);
        ga_state.nspares--;
        memmove(s, s + 1, sizeof(GASpare) * (size_t)(ga_state.nspares - i));
        if (zero) memset(o->data, 0, (size_t)o->len);
        return 1;
    }
    return 0;
}

static void ga_dealloc(PyObject *obj) {
    GAArray *self = (GAArray *)obj;
    PyTypeObject *tp = Py_TYPE(obj);
    if (self->weakrefs) PyObject_ClearWeakRefs(obj);
    if (self->handle && !keep_spare(self)) release_handle(self);
    self->handle = 0;
    if (self->base) {
        ((GAArray *)self->base)->exports--;
        Py_CLEAR(self->base);
    }
    if (self->dims != self->inline_dims) free(self->dims);
    if (self->foreign) {
        PyBuffer_Release(self->foreign);
        PyMem_Free(self->foreign);
        self->foreign = NULL;
    }
    freefunc f = (freefunc)PyType_GetSlot(tp, Py_tp_free);
    f(obj);
    Py_DECREF(tp);
}

static PyObject *ga_tp_new(PyTypeObject *t, PyObject *a, PyObject *k) {
    PyErr_SetString(PyExc_TypeError,
                    "goarray.Array cannot be created directly; use goarray.empty, zeros, array, ...");
    return NULL;
}

/* ---- attributes ------------------------------------------------------- */

static PyObject *dims_tuple(GAArray *self, int which) {
    int nd = self->ndim;
    PyObject *t = PyTuple_New(nd);
    if (!t) return NULL;
    for (int i = 0; i < nd; i++) {
        PyObject *v = PyLong_FromSsize_t(self->dims[which * nd + i]);
        if (!v) { Py_DECREF(t); return NULL; }
        PyTuple_SetItem(t, i, v);
    }
    return t;
}

static Py_ssize_t array_size(GAArray *self) {
    Py_ssize_t n = 1;
    for (int i = 0; i < self->ndim; i++) n *= self->dims[i];
    return n;
}

#define A(o) ((GAArray *)(o))
static PyObject *get_shape(PyObject *o, void *c) { return dims_tuple(A(o), 0); }
static PyObject *get_strides(PyObject *o, void *c) { return dims_tuple(A(o), 1); }
static PyObject *get_ndim(PyObject *o, void *c) { return PyLong_FromLong(A(o)->ndim); }
static PyObject *get_size(PyObject *o, void *c) { return PyLong_FromSsize_t(array_size(A(o))); }
static PyObject *get_itemsize(PyObject *o, void *c) { return PyLong_FromSsize_t(A(o)->itemsize); }
static PyObject *get_nbytes(PyObject *o, void *c) { return PyLong_FromSsize_t(A(o)->len); }
static PyObject *get_data(PyObject *o, void *c) { return PyLong_FromVoidPtr(A(o)->data); }
static PyObject *get_bits(PyObject *o, void *c) { return PyLong_FromUnsignedLong(A(o)->bits); }
static PyObject *get_exports(PyObject *o, void *c) { return PyLong_FromSsize_t(ga_owner_of(A(o))->exports); }
static PyObject *get_typestr(PyObject *o, void *c) { return PyUnicode_FromString(ga_state.typestrs[A(o)->dtype]); }
static PyObject *get_format(PyObject *o, void *c) { return PyUnicode_FromString(ga_state.formats[A(o)->dtype]); }

static PyObject *get_dtype(PyObject *o, void *c) {
    PyObject *d = ga_state.dtype_objs[A(o)->dtype];
    if (!d) { PyErr_SetString(PyExc_RuntimeError, "goarray: dtypes not registered"); return NULL; }
    return Py_NewRef(d);
}

static PyObject *get_base(PyObject *o, void *c) {
    GAArray *self = A(o);
    if (self->base) return Py_NewRef(self->base);
    if (self->foreign && self->foreign->obj) return Py_NewRef(self->foreign->obj);
    return Py_NewRef(Py_None);
}
#undef A

static PyGetSetDef ga_getset[] = {
    {"shape", get_shape, NULL, "Tuple of array dimensions.", NULL},
    {"strides", get_strides, NULL, "Tuple of bytes to step in each dimension.", NULL},
    {"ndim", get_ndim, NULL, "Number of array dimensions.", NULL},
    {"size", get_size, NULL, "Number of elements.", NULL},
    {"itemsize", get_itemsize, NULL, "Bytes per element.", NULL},
    {"nbytes", get_nbytes, NULL, "Bytes of all elements.", NULL},
    {"dtype", get_dtype, NULL, "numpy.dtype of the elements.", NULL},
    {"base", get_base, NULL, "The array this view was taken from, or None.", NULL},
    {"T", ga_get_T, NULL, "The transposed array (a view).", NULL},
    {"_data", get_data, NULL, NULL, NULL},
    {"_bits", get_bits, NULL, NULL, NULL},
    {"_exports", get_exports, NULL, NULL, NULL},
    {"_typestr", get_typestr, NULL, NULL, NULL},
    {"_format", get_format, NULL, NULL, NULL},
    {NULL}
};

static PyMemberDef ga_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(GAArray, weakrefs), READONLY, NULL},
    {NULL}
};

/* ---- the type --------------------------------------------------------- */

static PyType_Slot ga_slots[] = {
    {Py_tp_dealloc, ga_dealloc},
    {Py_tp_new, ga_tp_new},
    {Py_tp_getset, ga_getset},
    {Py_tp_members, ga_members},
    {Py_tp_methods, ga_methods},
    {Py_bf_getbuffer, ga_getbuffer},
    {Py_bf_releasebuffer, ga_releasebuffer},
    {Py_mp_subscript, ga_subscript},
    {Py_mp_ass_subscript, ga_ass_subscript},
    {Py_mp_length, ga_length},
    {Py_sq_length, ga_length},
    {Py_nb_add, ga_nb_add},
    {Py_nb_subtract, ga_nb_subtract},
    {Py_nb_multiply, ga_nb_multiply},
    {Py_nb_true_divide, ga_nb_true_divide},
    {Py_nb_inplace_add, ga_nb_inplace_add},
    {Py_nb_inplace_subtract, ga_nb_inplace_subtract},
    {Py_nb_inplace_multiply, ga_nb_inplace_multiply},
    {Py_nb_inplace_true_divide, ga_nb_inplace_true_divide},
    {Py_tp_richcompare, ga_richcompare},
    {Py_tp_doc, "Base of goarray.Array: the Go-backed storage and the buffer protocol."},
    {0, NULL}
};

static PyType_Spec ga_spec = {
    "goarray._goarray._ArrayBase",
    sizeof(GAArray),
    0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    ga_slots,
};

/* Makes the type and adds it to the module as _ArrayBase; new objects are of
 * this type until _register names goarray.Array. */
int ga_array_type_init(PyObject *module) {
    /* the methods: methods.c's, then numpy_calls.c's (one table, kept for
     * the life of the process as the type needs) */
    static PyMethodDef *all;
    if (!all) {
        int n = 0, m = 0;
        while (ga_methods[n].ml_name) n++;
        while (ga_numpy_call_methods[m].ml_name) m++;
        all = calloc((size_t)(n + m + 1), sizeof(PyMethodDef));
        if (!all) {
            PyErr_NoMemory();
            return -1;
        }
        memcpy(all, ga_methods, sizeof(PyMethodDef) * (size_t)n);
        memcpy(all + n, ga_numpy_call_methods, sizeof(PyMethodDef) * (size_t)m);
    }
    for (PyType_Slot *s = ga_slots; s->slot; s++)
        if (s->slot == Py_tp_methods) s->pfunc = all;
    PyTypeObject *tp = (PyTypeObject *)PyType_FromSpec(&ga_spec);
    if (!tp) return -1;
    GA_SETREF(ga_state.base_type, tp);
    GA_SETREF(ga_state.array_type, (PyTypeObject *)Py_NewRef((PyObject *)tp));
    return PyModule_AddObjectRef(module, "_ArrayBase", (PyObject *)tp);
}

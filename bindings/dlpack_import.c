/* dlpack_import.c: DLPack import (goarray.from_dlpack), following the
 * DLPack 1.x specification and numpy.from_dlpack.
 *
 * The producer's managed tensor is moved into a small holder object
 * (DLPackTensor) that exports it through the buffer protocol and calls the
 * producer's deleter when it is deallocated; the goarray array is then a
 * from_buffer view of the holder, so the deleter runs exactly once, when the
 * last view of the memory is gone.
 *
 * Only the Python limited API is used (the extension is abi3). */
#include "shim.h"
#include "dlpack.h"


/* Owns a producer's managed tensor and exports its memory. */
typedef struct {
    PyObject_HEAD
    void *managed;          /* DLManagedTensor(Versioned); its deleter runs in dealloc */
    int versioned;
    int readonly;
    int c_contig;
    int f_contig;
    int ndim;
    char *buf;              /* element (0, ..., 0) */
    Py_ssize_t len;
    Py_ssize_t itemsize;
    const char *format;
    Py_ssize_t *dims;       /* shape, then strides in bytes (PyMem) */
} DLPackTensor;

static PyTypeObject *tensor_type;

static void call_deleter(DLPackTensor *h) {
    void *m = h->managed;
    h->managed = NULL;
    if (!m) return;
    /* The producer's deleter may run Python code: keep any exception in
     * flight (a failed import) out of its way. */
    PyObject *et, *ev, *tb;
    PyErr_Fetch(&et, &ev, &tb);
    if (h->versioned) {
        DLManagedTensorVersioned *mv = m;
        if (mv->deleter) mv->deleter(mv);
    } else {
        DLManagedTensor *ml = m;
        if (ml->deleter) ml->deleter(ml);
    }
    PyErr_Restore(et, ev, tb);
}

static void tensor_dealloc(PyObject *obj) {
    DLPackTensor *h = (DLPackTensor *)obj;
    PyTypeObject *tp = Py_TYPE(obj);
    call_deleter(h);
    PyMem_Free(h->dims);
    h->dims = NULL;
    freefunc f = (freefunc)PyType_GetSlot(tp, Py_tp_free);
    f(obj);
    Py_DECREF(tp);
}

static int tensor_refuse(int flags, const char *reason) {
    PyErr_Format(PyExc_BufferError, "buffer request (flags 0x%x) refused: the DLPack tensor is %s", flags, reason);
    return -1;
}

static int tensor_getbuffer(PyObject *obj, Py_buffer *view, int flags) {
    DLPackTensor *h = (DLPackTensor *)obj;
    if ((flags & PyBUF_C_CONTIGUOUS) == PyBUF_C_CONTIGUOUS && !h->c_contig)
        return tensor_refuse(flags, "not C-contiguous");
    if ((flags & PyBUF_F_CONTIGUOUS) == PyBUF_F_CONTIGUOUS && !h->f_contig)
        return tensor_refuse(flags, "not Fortran contiguous");
    if ((flags & PyBUF_ANY_CONTIGUOUS) == PyBUF_ANY_CONTIGUOUS && !h->c_contig && !h->f_contig)
        return tensor_refuse(flags, "not contiguous");
    if ((flags & PyBUF_STRIDES) != PyBUF_STRIDES && !h->c_contig)
        return tensor_refuse(flags, "not C-contiguous, and a request without PyBUF_STRIDES needs a C-contiguous block");
    if ((flags & PyBUF_WRITABLE) && h->readonly)
        return tensor_refuse(flags, "read-only");
    view->buf = h->buf;
    view->obj = Py_NewRef(obj);
    view->len = h->len;
    view->readonly = h->readonly;
    view->itemsize = h->itemsize;
    view->format = (flags & PyBUF_FORMAT) == PyBUF_FORMAT ? (char *)h->format : NULL;
    if ((flags & PyBUF_ND) == PyBUF_ND) {
        view->ndim = h->ndim;
        view->shape = h->dims;
    } else {
        view->ndim = 0;
        view->shape = NULL;
    }
    view->strides = (flags & PyBUF_STRIDES) == PyBUF_STRIDES ? h->dims + h->ndim : NULL;
    view->suboffsets = NULL;
    view->internal = NULL;
    return 0;
}

static PyType_Slot tensor_slots[] = {
    {Py_tp_dealloc, tensor_dealloc},
    {Py_bf_getbuffer, tensor_getbuffer},
    {Py_tp_doc, "A tensor imported through DLPack: exports its memory and calls the producer's deleter when "
                "it is deallocated."},
    {0, NULL}
};

static PyType_Spec tensor_spec = {
    "goarray._goarray._DLPackTensor",
    sizeof(DLPackTensor),
    0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    tensor_slots,
};

int ga_dlpack_init(PyObject *module) {
    tensor_type = (PyTypeObject *)PyType_FromSpec(&tensor_spec);
    if (!tensor_type) return -1;
    return PyModule_AddObjectRef(module, "_DLPackTensor", (PyObject *)tensor_type);
}

/* The PEP 3118 format and itemsize of a DLPack type, or NULL. */
static const char *dl_format(DLDataType dt, Py_ssize_t *itemsize) {
    *itemsize = dt.bits / 8;
    switch (dt.code) {
    case kDLBool:
        if (dt.bits == 8) return "?";
        break;
    case kDLInt:
        switch (dt.bits) {
        case 8: return "b";
        case 16: return "h";
        case 32: return "i";
        case 64: return "q";
        }
        break;
    case kDLUInt:
        switch (dt.bits) {
        case 8: return "B";
        case 16: return "H";
        case 32: return "I";
        case 64: return "Q";
        }
        break;
    case kDLFloat:
        switch (dt.bits) {
        case 16: return "e";
        case 32: return "f";
        case 64: return "d";
        }
        break;
    case kDLComplex:
        switch (dt.bits) {
        case 64: return "Zf";
        case 128: return "Zd";
        }
        break;
    }
    return NULL;
}

static const char *dl_code_name(uint8_t code) {
    switch (code) {
    case kDLInt: return "kDLInt";
    case kDLUInt: return "kDLUInt";
    case kDLFloat: return "kDLFloat";
    case kDLOpaqueHandle: return "kDLOpaqueHandle";
    case kDLBfloat: return "kDLBfloat";
    case kDLComplex: return "kDLComplex";
    case kDLBool: return "kDLBool";
    }
    return "an unknown type code";
}

/* Layout flags as numpy computes them: axes of length 1 are ignored, an
 * array without elements is both. */
static void tensor_contiguity(DLPackTensor *h, Py_ssize_t size) {
    int nd = h->ndim;
    const Py_ssize_t *shape = h->dims, *strides = h->dims + nd;
    h->c_contig = h->f_contig = 1;
    if (size == 0) return;
    Py_ssize_t want = h->itemsize;
    for (int i = nd - 1; i >= 0; i--) {
        if (shape[i] != 1 && strides[i] != want) h->c_contig = 0;
        want *= shape[i];
    }
    want = h->itemsize;
    for (int i = 0; i < nd; i++) {
        if (shape[i] != 1 && strides[i] != want) h->f_contig = 0;
        want *= shape[i];
    }
}

/* Describe the tensor in h (which owns it); 0 or -1 with an exception. */
static int tensor_describe(DLPackTensor *h, const DLTensor *t) {
    int dev = (int)t->device.device_type;
    /* CPU memory, and device memory the CPU addresses directly (as numpy). */
    if (dev != kDLCPU && dev != kDLCUDAHost && dev != kDLROCMHost && dev != kDLCUDAManaged) {
        PyErr_Format(PyExc_BufferError,
                     "from_dlpack(): the tensor is on device (%d, %d) (%s); goarray can only view CPU memory "
                     "(kDLCPU)",
                     dev, (int)t->device.device_id, ga_dlpack_device_name(dev));
        return -1;
    }
    if (t->dtype.lanes != 1) {
        PyErr_Format(PyExc_BufferError, "from_dlpack(): vector dtypes (lanes=%u) are not supported",
                     (unsigned)t->dtype.lanes);
        return -1;
    }
    Py_ssize_t itemsize;
    const char *format = dl_format(t->dtype, &itemsize);
    if (!format) {
        if (t->dtype.code == kDLBfloat && t->dtype.bits == 16)
            PyErr_SetString(PyExc_BufferError, "from_dlpack(): bfloat16 (kDLBfloat, 16 bits) is not supported");
        else
            PyErr_Format(PyExc_BufferError, "from_dlpack(): unsupported DLPack dtype: %s (code %u) with %u bits",
                         dl_code_name(t->dtype.code), (unsigned)t->dtype.code, (unsigned)t->dtype.bits);
        return -1;
    }
    int nd = t->ndim;
    if (nd < 0 || nd > 64) {
        PyErr_Format(PyExc_BufferError, "from_dlpack(): %d dimensions; goarray supports 0 to 64", nd);
        return -1;
    }
    if (nd > 0 && !t->shape) {
        PyErr_SetString(PyExc_BufferError, "from_dlpack(): the tensor has no shape");
        return -1;
    }
    h->dims = PyMem_Calloc(2 * (size_t)nd + 1, sizeof(Py_ssize_t));
    if (!h->dims) {
        PyErr_NoMemory();
        return -1;
    }
    h->ndim = nd;
    h->itemsize = itemsize;
    h->format = format;
    Py_ssize_t *shape = h->dims, *strides = h->dims + nd;
    /* As numpy: the product of the non-zero dimensions, in bytes, must fit
     * even when another dimension is 0. The product is never cleared by a
     * zero it wrapped to ([2**32, 2**32] wraps to 0 in 64 bits), and the
     * C strides below are partial products of it, so they cannot overflow. */
    Py_ssize_t nonzero = 1, len;
    int overflow = 0, empty_axis = 0;
    for (int i = 0; i < nd; i++) {
        int64_t n = t->shape[i];
        if (n < 0) {
            /* ValueError, as numpy's "negative dimensions are not allowed" */
            PyErr_Format(PyExc_ValueError, "from_dlpack(): negative dimension %lld of axis %d", (long long)n, i);
            return -1;
        }
        shape[i] = (Py_ssize_t)n;
        if (n == 0) empty_axis = 1;
        else if (__builtin_mul_overflow(nonzero, shape[i], &nonzero)) overflow = 1;
    }
    Py_ssize_t size = empty_axis ? 0 : nonzero;
    if (overflow || __builtin_mul_overflow(nonzero, itemsize, &len)) {
        PyErr_SetString(PyExc_BufferError, "from_dlpack(): the tensor's size in bytes does not fit in an address");
        return -1;
    }
    if (empty_axis) len = 0;
    if (t->strides) {
        for (int i = 0; i < nd; i++) {
            if (__builtin_mul_overflow((Py_ssize_t)t->strides[i], itemsize, &strides[i])) {
                PyErr_Format(PyExc_BufferError,
                             "from_dlpack(): stride %lld of axis %d is too large to be represented in bytes",
                             (long long)t->strides[i], i);
                return -1;
            }
        }
    } else { /* C-contiguous */
        Py_ssize_t s = itemsize;
        for (int i = nd - 1; i >= 0; i--) {
            strides[i] = s;
            if (shape[i]) s *= shape[i];
        }
    }
    if (t->byte_offset > (uint64_t)PY_SSIZE_T_MAX) {
        PyErr_Format(PyExc_BufferError, "from_dlpack(): byte_offset %llu is too large",
                     (unsigned long long)t->byte_offset);
        return -1;
    }
    char *data = t->data;
    if (!data) {
        /* Empty tensors may come without memory; any aligned address
         * serves for zero elements. */
        static int64_t empty[2];
        if (size != 0) {
            PyErr_SetString(PyExc_BufferError, "from_dlpack(): the tensor has elements but a NULL data pointer");
            return -1;
        }
        data = (char *)empty;
    } else {
        data += (Py_ssize_t)t->byte_offset;
    }
    h->buf = data;
    h->len = len;
    tensor_contiguity(h, size);
    return 0;
}

PyObject *ga_f_from_dlpack(PyObject *m, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    PyObject *device = Py_None, *copy = Py_None;
    Py_ssize_t nk = kwnames ? PyTuple_Size(kwnames) : 0;
    for (Py_ssize_t i = 0; i < nk; i++) {
        PyObject *kn = PyTuple_GetItem(kwnames, i);
        if (PyUnicode_CompareWithASCIIString(kn, "device") == 0) device = args[nargs + i];
        else if (PyUnicode_CompareWithASCIIString(kn, "copy") == 0) copy = args[nargs + i];
        else {
            PyErr_Format(PyExc_TypeError, "from_dlpack() got an unexpected keyword argument %R", kn);
            return NULL;
        }
    }
    if (nargs != 1) {
        PyErr_Format(PyExc_TypeError, "from_dlpack() takes exactly 1 positional argument (%zd given)", nargs);
        return NULL;
    }
    PyObject *x = args[0];
    if (device != Py_None && !(PyUnicode_Check(device) && PyUnicode_CompareWithASCIIString(device, "cpu") == 0)) {
        PyErr_Format(PyExc_ValueError, "Device not understood. Only \"cpu\" is allowed, but received: %S", device);
        return NULL;
    }
    int mode;
    if (ga_dlpack_parse_copy(copy, &mode) < 0) return NULL;

    /* x.__dlpack__(max_version=(1, 0)[, dl_device=(1, 0)][, copy=False]).
     * copy=True is not forwarded: goarray makes its own (Go-backed) copy. */
    PyObject *meth = PyObject_GetAttrString(x, "__dlpack__");
    if (!meth) return NULL;
    PyObject *kwargs = Py_BuildValue("{s(ii)}", "max_version", GA_DLPACK_MAJOR, 0);
    PyObject *noargs = PyTuple_New(0);
    PyObject *cap = NULL;
    if (kwargs && noargs && device != Py_None) {
        PyObject *d = Py_BuildValue("(ii)", (int)kDLCPU, 0);
        if (!d || PyDict_SetItemString(kwargs, "dl_device", d) < 0) Py_CLEAR(kwargs);
        Py_XDECREF(d);
    }
    if (kwargs && noargs && mode == COPY_NEVER && PyDict_SetItemString(kwargs, "copy", Py_False) < 0)
        Py_CLEAR(kwargs);
    if (kwargs && noargs) {
        cap = PyObject_Call(meth, noargs, kwargs);
        /* A producer of the protocol before max_version (numpy < 2.1):
         * ask it plainly, as the DLPack spec has consumers do. Its legacy
         * export never copies (so copy=False holds), and the device of
         * the tensor it returns is checked below. */
        if (!cap && PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            cap = PyObject_Call(meth, noargs, NULL);
        }
    }
    Py_XDECREF(kwargs);
    Py_XDECREF(noargs);
    Py_DECREF(meth);
    if (!cap) return NULL;

    int versioned;
    const char *used;
    if (PyCapsule_IsValid(cap, CAPSULE_VERSIONED)) {
        versioned = 1;
        used = CAPSULE_VERSIONED_USED;
    } else if (PyCapsule_IsValid(cap, CAPSULE_LEGACY)) {
        versioned = 0;
        used = CAPSULE_LEGACY_USED;
    } else {
        PyErr_Format(PyExc_ValueError,
                     "from_dlpack(): __dlpack__() returned %R, not a capsule named \"" CAPSULE_VERSIONED
                     "\" or \"" CAPSULE_LEGACY "\"",
                     cap);
        Py_DECREF(cap);
        return NULL;
    }
    void *managed = PyCapsule_GetPointer(cap, versioned ? CAPSULE_VERSIONED : CAPSULE_LEGACY);
    if (!managed) {
        Py_DECREF(cap);
        return NULL;
    }
    allocfunc alloc = (allocfunc)PyType_GetSlot(tensor_type, Py_tp_alloc);
    DLPackTensor *h = (DLPackTensor *)alloc(tensor_type, 0);
    if (!h) {
        Py_DECREF(cap); /* unconsumed: its destructor releases the tensor */
        return NULL;
    }
    /* Consume the capsule: from here on h calls the deleter, once. */
    if (PyCapsule_SetName(cap, used) < 0) {
        Py_DECREF(h);
        Py_DECREF(cap);
        return NULL;
    }
    h->managed = managed;
    h->versioned = versioned;
    Py_DECREF(cap);

    const DLTensor *t;
    if (versioned) {
        DLManagedTensorVersioned *mv = managed;
        if (mv->version.major > GA_DLPACK_MAJOR) {
            PyErr_Format(PyExc_BufferError,
                         "from_dlpack(): the tensor's DLPack version %u.%u is not supported (goarray reads "
                         "major version %d)",
                         (unsigned)mv->version.major, (unsigned)mv->version.minor, GA_DLPACK_MAJOR);
            Py_DECREF(h);
            return NULL;
        }
        h->readonly = (mv->flags & DLPACK_FLAG_BITMASK_READ_ONLY) != 0;
        t = &mv->dl_tensor;
    } else {
        /* A legacy tensor cannot say whether it may be written: read-only,
         * as numpy imports it. */
        h->readonly = 1;
        t = &((DLManagedTensor *)managed)->dl_tensor;
    }
    if (tensor_describe(h, t) < 0) {
        Py_DECREF(h);
        return NULL;
    }
    PyObject *arr = ga_from_buffer((PyObject *)h);
    Py_DECREF(h);
    if (!arr || mode != COPY_ALWAYS) return arr;
    PyObject *c = PyObject_CallMethod(arr, "copy", "s", "K");
    Py_DECREF(arr);
    return c;
}

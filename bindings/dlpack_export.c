/* dlpack_export.c: DLPack export (Array.__dlpack__, __dlpack_device__),
 * following the DLPack 1.x specification and numpy's ndarray.__dlpack__;
 * and the argument rules both directions share (copy=, device names).
 *
 * Each capsule holds a Py_buffer on the array (obtained through the
 * array's own buffer protocol, so it counts as an export: resize refuses
 * while it lives) until the tensor's deleter runs. The deleter takes the GIL
 * itself, since a consumer may call it from any thread.
 *
 * Only the Python limited API is used (the extension is abi3). */
#include "shim.h"
#include "dlpack.h"
#include "codes.h"


/* numpy's copy argument: None, or anything with a truth value but a str. */
int ga_dlpack_parse_copy(PyObject *o, int *mode) {
    if (o == NULL || o == Py_None) {
        *mode = COPY_IF_NEEDED;
        return 0;
    }
    if (PyUnicode_Check(o)) {
        PyErr_SetString(PyExc_ValueError,
                        "strings are not allowed for 'copy' keyword. Use True/False/None instead.");
        return -1;
    }
    int t = PyObject_IsTrue(o);
    if (t < 0) return -1;
    *mode = t ? COPY_ALWAYS : COPY_NEVER;
    return 0;
}

const char *ga_dlpack_device_name(int type) {
    switch (type) {
    case kDLCPU: return "kDLCPU";
    case kDLCUDA: return "kDLCUDA";
    case kDLCUDAHost: return "kDLCUDAHost";
    case kDLOpenCL: return "kDLOpenCL";
    case kDLVulkan: return "kDLVulkan";
    case kDLMetal: return "kDLMetal";
    case kDLVPI: return "kDLVPI";
    case kDLROCM: return "kDLROCM";
    case kDLROCMHost: return "kDLROCMHost";
    case kDLExtDev: return "kDLExtDev";
    case kDLCUDAManaged: return "kDLCUDAManaged";
    case kDLOneAPI: return "kDLOneAPI";
    case kDLWebGPU: return "kDLWebGPU";
    case kDLHexagon: return "kDLHexagon";
    case kDLMAIA: return "kDLMAIA";
    }
    return "unknown device type";
}

/* One exported tensor: the managed tensor the capsule points to (first, so
 * the deleter's argument is the context), the held buffer, and the shape
 * and strides the tensor points to. One allocation. */
typedef struct {
    union {
        DLManagedTensor legacy;
        DLManagedTensorVersioned versioned;
    } t;
    Py_buffer view;
    int64_t dims[]; /* shape, then strides in elements */
} ExportCtx;

static void export_free(ExportCtx *ctx) {
    /* At interpreter exit (a consumer's static destructors) there is no
     * Python left to release to: leak. */
    if (!Py_IsInitialized()) return;
    PyGILState_STATE st = PyGILState_Ensure();
    PyBuffer_Release(&ctx->view);
    PyMem_Free(ctx);
    PyGILState_Release(st);
}

static void export_deleter_versioned(DLManagedTensorVersioned *m) { export_free((ExportCtx *)m->manager_ctx); }

static void export_deleter_legacy(DLManagedTensor *m) { export_free((ExportCtx *)m->manager_ctx); }

/* The capsules' destructors: a capsule nobody consumed (still under its
 * first name) releases its tensor; a consumed one was renamed and its
 * consumer calls the deleter. */
static void capsule_destructor_versioned(PyObject *cap) {
    if (!PyCapsule_IsValid(cap, CAPSULE_VERSIONED)) return;
    DLManagedTensorVersioned *m = PyCapsule_GetPointer(cap, CAPSULE_VERSIONED);
    if (m && m->deleter) m->deleter(m);
}

static void capsule_destructor_legacy(PyObject *cap) {
    if (!PyCapsule_IsValid(cap, CAPSULE_LEGACY)) return;
    DLManagedTensor *m = PyCapsule_GetPointer(cap, CAPSULE_LEGACY);
    if (m && m->deleter) m->deleter(m);
}

/* The DLPack type of a core.DType. */
static int dl_dtype(int dtype, Py_ssize_t itemsize, DLDataType *out) {
    out->bits = (uint8_t)(8 * itemsize);
    out->lanes = 1;
    switch (dtype) {
    case GA_DT_BOOL: out->code = kDLBool; return 0;
    case GA_DT_INT8: case GA_DT_INT16: case GA_DT_INT32: case GA_DT_INT64: out->code = kDLInt; return 0;
    case GA_DT_UINT8: case GA_DT_UINT16: case GA_DT_UINT32: case GA_DT_UINT64: out->code = kDLUInt; return 0;
    case GA_DT_FLOAT16: case GA_DT_FLOAT32: case GA_DT_FLOAT64: out->code = kDLFloat; return 0;
    case GA_DT_COMPLEX64: case GA_DT_COMPLEX128: out->code = kDLComplex; return 0;
    }
    PyErr_Format(PyExc_BufferError, "DLPack cannot export goarray dtype code %d", dtype);
    return -1;
}

static PyObject *make_capsule(GAArray *a, int versioned, unsigned minor, int copied) {
    int nd = a->ndim;
    Py_ssize_t itemsize = a->itemsize;
    const Py_ssize_t *shape = a->dims, *strides = a->dims + nd;
    DLDataType dt;
    if (dl_dtype(a->dtype, itemsize, &dt) < 0) return NULL;
    Py_ssize_t size = 1;
    for (int i = 0; i < nd; i++) size *= shape[i];
    /* As numpy: strides of axes of length 1 (and of contiguous arrays)
     * do not matter. */
    if (!(a->bits & GA_C_CONTIG) && size != 1) {
        for (int i = 0; i < nd; i++) {
            if (shape[i] != 1 && strides[i] % itemsize != 0) {
                PyErr_Format(PyExc_BufferError,
                             "DLPack only supports strides which are a multiple of itemsize: stride %zd of "
                             "axis %d is not a multiple of %zd bytes",
                             strides[i], i, itemsize);
                return NULL;
            }
        }
    }
    ExportCtx *ctx = PyMem_Calloc(1, sizeof(ExportCtx) + sizeof(int64_t) * 2 * (size_t)nd);
    if (!ctx) return PyErr_NoMemory();
    /* Counts as an export of the array until the deleter releases it. */
    if (PyObject_GetBuffer((PyObject *)a, &ctx->view, PyBUF_RECORDS_RO) < 0) {
        PyMem_Free(ctx);
        return NULL;
    }
    for (int i = 0; i < nd; i++) {
        ctx->dims[i] = shape[i];
        ctx->dims[nd + i] = strides[i] / itemsize;
    }
    DLTensor *t;
    const char *name;
    PyCapsule_Destructor destructor;
    if (versioned) {
        DLManagedTensorVersioned *m = &ctx->t.versioned;
        m->version.major = GA_DLPACK_MAJOR;
        m->version.minor = minor;
        m->manager_ctx = ctx;
        m->deleter = export_deleter_versioned;
        m->flags = 0;
        if (a->bits & GA_READONLY) m->flags |= DLPACK_FLAG_BITMASK_READ_ONLY;
        if (copied) m->flags |= DLPACK_FLAG_BITMASK_IS_COPIED;
        t = &m->dl_tensor;
        name = CAPSULE_VERSIONED;
        destructor = capsule_destructor_versioned;
    } else {
        DLManagedTensor *m = &ctx->t.legacy;
        m->manager_ctx = ctx;
        m->deleter = export_deleter_legacy;
        t = &m->dl_tensor;
        name = CAPSULE_LEGACY;
        destructor = capsule_destructor_legacy;
    }
    t->data = a->data;
    t->device.device_type = kDLCPU;
    t->device.device_id = 0;
    t->ndim = nd;
    t->dtype = dt;
    /* A 0-d tensor has no shape or strides to point to (NULL, as numpy). */
    t->shape = nd ? ctx->dims : NULL;
    t->strides = nd ? ctx->dims + nd : NULL;
    t->byte_offset = 0;
    PyObject *cap = PyCapsule_New(&ctx->t, name, destructor);
    if (!cap) {
        PyBuffer_Release(&ctx->view);
        PyMem_Free(ctx);
        return NULL;
    }
    return cap;
}

/* goarray._compat.<name>, the exception class the installed numpy raises
 * for a refusal, or fallback. A borrowed reference: the class stays alive
 * in goarray._compat (or is a builtin). */
static PyObject *ga_numpy_exception(const char *name, PyObject *fallback) {
    PyObject *exc = fallback, *compat = PyImport_ImportModule("goarray._compat");
    PyObject *got = compat ? PyObject_GetAttrString(compat, name) : NULL;
    Py_XDECREF(compat);
    if (got && PyExceptionClass_Check(got)) exc = got;
    Py_XDECREF(got);
    PyErr_Clear();
    return exc;
}

PyObject *ga_m_dlpack(PyObject *obj, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    PyObject *stream = Py_None, *max_version = Py_None, *dl_device = Py_None, *copy = Py_None;
    if (nargs) {
        PyErr_Format(PyExc_TypeError, "__dlpack__() takes 0 positional arguments but %zd %s given", nargs,
                     nargs == 1 ? "was" : "were");
        return NULL;
    }
    Py_ssize_t nk = kwnames ? PyTuple_Size(kwnames) : 0;
    for (Py_ssize_t i = 0; i < nk; i++) {
        PyObject *kn = PyTuple_GetItem(kwnames, i);
        PyObject *v = args[nargs + i];
        if (PyUnicode_CompareWithASCIIString(kn, "stream") == 0) stream = v;
        else if (PyUnicode_CompareWithASCIIString(kn, "max_version") == 0) max_version = v;
        else if (PyUnicode_CompareWithASCIIString(kn, "dl_device") == 0) dl_device = v;
        else if (PyUnicode_CompareWithASCIIString(kn, "copy") == 0) copy = v;
        else {
            PyErr_Format(PyExc_TypeError, "__dlpack__() got an unexpected keyword argument %R", kn);
            return NULL;
        }
    }
    if (dl_device != Py_None) {
        int type, id;
        if (!PyTuple_Check(dl_device)) {
            PyErr_SetString(PyExc_TypeError, "dl_device must be a tuple");
            return NULL;
        }
        if (!PyArg_ParseTuple(dl_device, "ii", &type, &id)) return NULL;
        if (type != kDLCPU || id != 0) {
            /* The installed numpy's exception (ValueError in numpy 2.1,
             * BufferError later), as goarray._compat read it. */
            PyErr_Format(ga_numpy_exception("DLPACK_DEVICE_ERROR", PyExc_BufferError),
                         "unsupported device requested: (%d, %d) (%s); goarray arrays are in CPU memory, "
                         "device (1, 0) (kDLCPU)",
                         type, id, ga_dlpack_device_name(type));
            return NULL;
        }
    }
    int mode;
    if (ga_dlpack_parse_copy(copy, &mode) < 0) return NULL;
    long major = 0;
    unsigned minor = GA_DLPACK_MINOR;
    if (max_version != Py_None) {
        if (!PyTuple_Check(max_version) || PyTuple_Size(max_version) != 2) {
            PyErr_SetString(PyExc_TypeError, "max_version must be None or a tuple with two elements.");
            return NULL;
        }
        major = PyLong_AsLong(PyTuple_GetItem(max_version, 0));
        if (major == -1 && PyErr_Occurred()) return NULL;
        if (major == GA_DLPACK_MAJOR) {
            /* A consumer of an older 1.x gets that version (the layout is
             * the same); an unreadable minor is not an error (numpy reads
             * only the major). */
            long m = PyLong_AsLong(PyTuple_GetItem(max_version, 1));
            if (m == -1 && PyErr_Occurred()) PyErr_Clear();
            else if (m >= 0 && m < GA_DLPACK_MINOR) minor = (unsigned)m;
        }
    }
    if (stream != Py_None) {
        /* The installed numpy's exception for the same call (RuntimeError
         * up to numpy 2.4, ValueError from 2.5), as goarray._compat read it. */
        PyErr_SetString(ga_numpy_exception("DLPACK_STREAM_ERROR", PyExc_RuntimeError),
                        "goarray only supports stream=None (its arrays are in CPU memory)");
        return NULL;
    }
    PyObject *src;
    if (mode == COPY_ALWAYS) {
        src = PyObject_CallMethod(obj, "copy", "s", "K");
        if (!src) return NULL;
        if (!ga_is_array(src)) {
            PyErr_SetString(PyExc_TypeError, "__dlpack__(copy=True): copy() did not return a goarray array");
            Py_DECREF(src);
            return NULL;
        }
    } else {
        src = Py_NewRef(obj);
    }
    int versioned = major >= 1;
    if (!versioned && (((GAArray *)src)->bits & GA_READONLY)) {
        PyErr_SetString(PyExc_BufferError,
                        "Cannot export readonly array since signalling readonly is unsupported by DLPack "
                        "(supported by newer DLPack version): ask for max_version=(1, 0) or copy=True");
        Py_DECREF(src);
        return NULL;
    }
    PyObject *cap = make_capsule((GAArray *)src, versioned, minor, mode == COPY_ALWAYS);
    Py_DECREF(src);
    return cap;
}

PyObject *ga_m_dlpack_device(PyObject *self, PyObject *unused) {
    return Py_BuildValue("(ii)", (int)kDLCPU, 0);
}

/* dlpack.h: the DLPack 1.x ABI (the structures a DLPack capsule holds, as
 * the DLPack specification defines them) and goarray's DLPack entry points,
 * defined in dlpack_export.c (Array.__dlpack__, __dlpack_device__) and
 * dlpack_import.c (from_dlpack). Not included by Go files. */
#ifndef GOARRAY_DLPACK_H
#define GOARRAY_DLPACK_H

#include "shim.h"

/* ---- the DLPack ABI ---------------------------------------------------- */

#define GA_DLPACK_MAJOR 1
#define GA_DLPACK_MINOR 1

typedef enum {
    kDLCPU = 1,
    kDLCUDA = 2,
    kDLCUDAHost = 3,
    kDLOpenCL = 4,
    kDLVulkan = 7,
    kDLMetal = 8,
    kDLVPI = 9,
    kDLROCM = 10,
    kDLROCMHost = 11,
    kDLExtDev = 12,
    kDLCUDAManaged = 13,
    kDLOneAPI = 14,
    kDLWebGPU = 15,
    kDLHexagon = 16,
    kDLMAIA = 17,
} DLDeviceType;

typedef struct {
    DLDeviceType device_type;
    int32_t device_id;
} DLDevice;

typedef enum {
    kDLInt = 0,
    kDLUInt = 1,
    kDLFloat = 2,
    kDLOpaqueHandle = 3,
    kDLBfloat = 4,
    kDLComplex = 5,
    kDLBool = 6,
} DLDataTypeCode;

typedef struct {
    uint8_t code;   /* DLDataTypeCode */
    uint8_t bits;
    uint16_t lanes;
} DLDataType;

typedef struct {
    void *data;
    DLDevice device;
    int32_t ndim;
    DLDataType dtype;
    int64_t *shape;      /* ndim elements */
    int64_t *strides;    /* ndim elements (in elements, not bytes), or NULL: C-contiguous */
    uint64_t byte_offset;
} DLTensor;

/* The legacy (unversioned) tensor, in capsules named "dltensor". */
typedef struct DLManagedTensor {
    DLTensor dl_tensor;
    void *manager_ctx;
    void (*deleter)(struct DLManagedTensor *self);
} DLManagedTensor;

typedef struct {
    uint32_t major;
    uint32_t minor;
} DLPackVersion;

#define DLPACK_FLAG_BITMASK_READ_ONLY (1ULL << 0)
#define DLPACK_FLAG_BITMASK_IS_COPIED (1ULL << 1)
#define DLPACK_FLAG_BITMASK_IS_SUBBYTE_TYPE_PADDED (1ULL << 2)

/* The versioned tensor, in capsules named "dltensor_versioned". */
typedef struct DLManagedTensorVersioned {
    DLPackVersion version;
    void *manager_ctx;
    void (*deleter)(struct DLManagedTensorVersioned *self);
    uint64_t flags;
    DLTensor dl_tensor;
} DLManagedTensorVersioned;

/* ---- goarray ----------------------------------------------------------- */

/* The capsule names (a consumer renames the capsule it takes to "used_...") */
#define CAPSULE_LEGACY "dltensor"
#define CAPSULE_LEGACY_USED "used_dltensor"
#define CAPSULE_VERSIONED "dltensor_versioned"
#define CAPSULE_VERSIONED_USED "used_dltensor_versioned"

/* numpy's copy= of __dlpack__ and from_dlpack: None, True, False */
enum { COPY_IF_NEEDED = 0, COPY_ALWAYS = 1, COPY_NEVER = 2 };

/* Both directions' argument rules (dlpack_export.c): copy= as numpy reads
 * it (0, or -1 with an exception), and a device type's DLPack name. */
int ga_dlpack_parse_copy(PyObject *o, int *mode);
const char *ga_dlpack_device_name(int type);

/* Array.__dlpack__(*, stream=None, max_version=None, dl_device=None, copy=None) */
PyObject *ga_m_dlpack(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames);
/* Array.__dlpack_device__() */
PyObject *ga_m_dlpack_device(PyObject *self, PyObject *unused);
/* goarray.from_dlpack(x, /, *, device=None, copy=None) */
PyObject *ga_f_from_dlpack(PyObject *m, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames);
/* Makes the type that holds imported tensors; 0 or -1 with an exception. */
int ga_dlpack_init(PyObject *module);

/* Defined in buffer.c, used by dlpack_export.c and dlpack_import.c. */
PyObject *ga_from_buffer(PyObject *obj);  /* from_buffer(obj) */
int ga_is_array(PyObject *obj);           /* an instance of _ArrayBase */

#endif

# SPDX-License-Identifier: Apache-2.0
"""libvaccel through cffi's ABI mode: no compiler at install or run time.

The declarations below are the part of src/include/vaccel/*.h this package
calls, copied as they stand there (tests/test_cdef.py checks them against
the headers). The library is found, in order: $VACCEL_LIBRARY (a path), the
libdir this package was installed for, then the dynamic linker's search
(LD_LIBRARY_PATH, ld.so.cache).
"""

import os
import struct

from cffi import FFI

CDEF = """
typedef int64_t vaccel_id_t;

typedef enum {
    VACCEL_ARG_RAW = 0,
    VACCEL_ARG_INT8, VACCEL_ARG_INT8_ARRAY,
    VACCEL_ARG_INT16, VACCEL_ARG_INT16_ARRAY,
    VACCEL_ARG_INT32, VACCEL_ARG_INT32_ARRAY,
    VACCEL_ARG_INT64, VACCEL_ARG_INT64_ARRAY,
    VACCEL_ARG_UINT8, VACCEL_ARG_UINT8_ARRAY,
    VACCEL_ARG_UINT16, VACCEL_ARG_UINT16_ARRAY,
    VACCEL_ARG_UINT32, VACCEL_ARG_UINT32_ARRAY,
    VACCEL_ARG_UINT64, VACCEL_ARG_UINT64_ARRAY,
    VACCEL_ARG_FLOAT32, VACCEL_ARG_FLOAT32_ARRAY,
    VACCEL_ARG_FLOAT64, VACCEL_ARG_FLOAT64_ARRAY,
    VACCEL_ARG_BOOL, VACCEL_ARG_BOOL_ARRAY,
    VACCEL_ARG_CHAR, VACCEL_ARG_CHAR_ARRAY,
    VACCEL_ARG_UCHAR, VACCEL_ARG_UCHAR_ARRAY,
    VACCEL_ARG_STRING,
    VACCEL_ARG_BUFFER,
    VACCEL_ARG_CUSTOM,
    VACCEL_ARG_MAX
} vaccel_arg_type_t;

struct vaccel_arg {
    void *buf;
    size_t size;
    vaccel_arg_type_t type;
    uint32_t custom_type_id;
    bool owned;
};

typedef enum {
    VACCEL_OP_NOOP = 0, VACCEL_OP_EXEC, VACCEL_OP_EXEC_WITH_RESOURCE,
    VACCEL_OP_IMAGE_CLASSIFY, VACCEL_OP_IMAGE_DETECT, VACCEL_OP_IMAGE_SEGMENT,
    VACCEL_OP_IMAGE_POSE, VACCEL_OP_IMAGE_DEPTH,
    VACCEL_OP_TF_MODEL_LOAD, VACCEL_OP_TF_MODEL_UNLOAD, VACCEL_OP_TF_MODEL_RUN,
    VACCEL_OP_TFLITE_MODEL_LOAD, VACCEL_OP_TFLITE_MODEL_UNLOAD,
    VACCEL_OP_TFLITE_MODEL_RUN,
    VACCEL_OP_TORCH_MODEL_LOAD, VACCEL_OP_TORCH_MODEL_RUN,
    VACCEL_OP_TORCH_SGEMM, VACCEL_OP_BLAS_SGEMM,
    VACCEL_OP_FPGA_ARRAYCOPY, VACCEL_OP_FPGA_MMULT, VACCEL_OP_FPGA_PARALLEL,
    VACCEL_OP_FPGA_VECTORADD,
    VACCEL_OP_MINMAX, VACCEL_OP_OPENCV,
    VACCEL_OP_IMAGE_ANALYZE, VACCEL_OP_TENSOR_INFER,
    VACCEL_OP_MAX
} vaccel_op_type_t;

typedef enum {
    VACCEL_RESOURCE_LIB = 0, VACCEL_RESOURCE_DATA, VACCEL_RESOURCE_MODEL,
    VACCEL_RESOURCE_MAX
} vaccel_resource_type_t;

typedef enum {
    VACCEL_PATH_LOCAL_FILE = 0, VACCEL_PATH_LOCAL_DIR, VACCEL_PATH_REMOTE_FILE,
    VACCEL_PATH_MAX
} vaccel_path_type_t;

#define VACCEL_SESSION_RUNDIR_SIZE 4096

struct vaccel_list_entry {
    struct vaccel_list_entry *next;
    struct vaccel_list_entry *prev;
};

struct vaccel_blob;
struct vaccel_plugin;
struct vaccel_session_priv;

struct vaccel_session {
    vaccel_id_t id;
    vaccel_id_t remote_id;
    uint32_t hint;
    bool is_virtio;
    char rundir[VACCEL_SESSION_RUNDIR_SIZE];
    struct vaccel_list_entry entry;
    struct vaccel_list_entry resources[VACCEL_RESOURCE_MAX];
    size_t resource_counts[VACCEL_RESOURCE_MAX];
    pthread_mutex_t resources_lock;
    struct vaccel_plugin *plugin;
    struct vaccel_session_priv *priv;
};

struct vaccel_resource {
    vaccel_id_t id;
    vaccel_id_t remote_id;
    vaccel_resource_type_t type;
    vaccel_path_type_t path_type;
    char **paths;
    size_t nr_paths;
    char *rundir;
    struct vaccel_blob **blobs;
    size_t nr_blobs;
    struct vaccel_list_entry entry;
    struct vaccel_list_entry sessions;
    pthread_mutex_t sessions_lock;
    unsigned int refcount;
    void *plugin_priv;
};

const char *vaccel_strerror(int err);
const char *vaccel_version(void);
const char *vaccel_op_name(vaccel_op_type_t op);
const char *vaccel_log_last_error(void);

int vaccel_session_init(struct vaccel_session *sess, uint32_t flags);
int vaccel_session_release(struct vaccel_session *sess);

int vaccel_resource_init(struct vaccel_resource *res, const char *path,
                         vaccel_resource_type_t type);
int vaccel_resource_init_from_buf(struct vaccel_resource *res,
                                  const void *buf, size_t nr_bytes,
                                  vaccel_resource_type_t type,
                                  const char *filename, bool mem_only);
int vaccel_resource_release(struct vaccel_resource *res);
int vaccel_resource_register(struct vaccel_resource *res,
                             struct vaccel_session *sess);
int vaccel_resource_unregister(struct vaccel_resource *res,
                               struct vaccel_session *sess);
const char *vaccel_resource_path(const struct vaccel_resource *res);

int vaccel_noop(struct vaccel_session *sess);
int vaccel_sgemm(struct vaccel_session *sess, int64_t m, int64_t n, int64_t k,
                 float alpha, float *a, int64_t lda, float *b, int64_t ldb,
                 float beta, float *c, int64_t ldc);
int vaccel_exec(struct vaccel_session *sess, const char *library,
                const char *fn_symbol, struct vaccel_arg *read,
                size_t nr_read, struct vaccel_arg *write, size_t nr_write);
int vaccel_exec_with_resource(struct vaccel_session *sess,
                              struct vaccel_resource *res,
                              const char *fn_symbol, struct vaccel_arg *read,
                              size_t nr_read, struct vaccel_arg *write,
                              size_t nr_write);
int vaccel_genop(struct vaccel_session *sess, struct vaccel_arg *read,
                 int nr_read, struct vaccel_arg *write, int nr_write);
int vaccel_image_classification(struct vaccel_session *sess, const void *img,
                                unsigned char *out_text,
                                unsigned char *out_imgname, size_t len_img,
                                size_t len_out_text, size_t len_out_imgname);
int vaccel_image_detection(struct vaccel_session *sess, const void *img,
                           unsigned char *out_imgname, size_t len_img,
                           size_t len_out_imgname);
int vaccel_image_segmentation(struct vaccel_session *sess, const void *img,
                              unsigned char *out_imgname, size_t len_img,
                              size_t len_out_imgname);
int vaccel_image_pose(struct vaccel_session *sess, const void *img,
                      unsigned char *out_imgname, size_t len_img,
                      size_t len_out_imgname);
int vaccel_image_depth(struct vaccel_session *sess, const void *img,
                       unsigned char *out_imgname, size_t len_img,
                       size_t len_out_imgname);
int vaccel_minmax(struct vaccel_session *sess, const double *indata,
                  int ndata, int low_threshold, int high_threshold,
                  double *outdata, double *min, double *max);
"""

try:
    from ._paths import LIBDIR, SONAME  # written by make for `make install`
except ImportError:  # run from the source tree
    LIBDIR, SONAME = None, "libvaccel.so.1"

# glibc's pthread_mutex_t, which the structs embed, only by its size and
# alignment: 40 bytes where long is 8 (x86_64, aarch64), 24 where it is 4.
PTHREAD_MUTEX = "typedef struct { long opaque[%d]; } pthread_mutex_t;" % (
    5 if struct.calcsize("l") == 8 else 6)

ffi = FFI()
ffi.cdef(PTHREAD_MUTEX + CDEF)


def _candidates():
    env = os.environ.get("VACCEL_LIBRARY")
    if env:
        return [env]
    found = []
    if LIBDIR and os.path.exists(os.path.join(LIBDIR, SONAME)):
        found.append(os.path.join(LIBDIR, SONAME))
    found.append(SONAME)
    return found


def _open():
    errors = []
    for path in _candidates():
        try:
            return ffi.dlopen(path)
        except OSError as e:
            errors.append(f"{path}: {e}")
    raise ImportError("cannot load libvaccel (set VACCEL_LIBRARY to its path): "
                      + "; ".join(errors))


lib = _open()

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The opencv plugin's inner edge: the C side (plugin.c: descriptor, options,
 * vAccel signatures) calls the C++ side (dnn.cpp: OpenCV dnn) only through
 * these extern "C" functions, so no C++ type crosses into C.
 */
#ifndef VACCEL_OPENCV_VISION_H
#define VACCEL_OPENCV_VISION_H

#include <stdbool.h>
#include <stddef.h>
#include <vaccel/infer.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The five vision tasks, in the order of the vAccel image ops. */
enum ocv_task { OCV_CLASSIFY, OCV_DETECT, OCV_SEGMENT, OCV_POSE, OCV_DEPTH, OCV_NR_TASKS };

/* One task's model, as the profile describes it (see vaccel-profile(5)). */
struct ocv_model {
	char *model;      /* weights file; NULL when the profile names none */
	char *config;     /* second file some formats need (Caffe prototxt), or NULL */
	char *labels;     /* one label per line, or NULL */
	int width, height;          /* network input size */
	double mean[3], std[3];     /* blob = (pixel - mean) * scale / std, per channel */
	double scale;
	bool rgb;         /* feed RGB (true) or BGR (false) */
	bool softmax;     /* classify: the graph ends in logits, apply softmax */
	bool nhwc;        /* the graph takes and returns NHWC tensors */
	int top;          /* classify: how many classes to report */
	double threshold; /* detect: score; pose: heatmap peak */
};

/* A task's result: "kind ..." text lines and the encoded output image. */
struct ocv_result {
	char *text;            /* NUL-terminated, malloc'd */
	unsigned char *image;  /* JPEG bytes, malloc'd */
	size_t image_len;
};

/*
 * Decode `img` (len bytes), run the task's model (loaded once per process,
 * then shared), fill *out. Returns 0 or VACCEL_E*: EINVAL for an image
 * OpenCV cannot decode or a labels file that does not fit the model, ENOENT
 * for a missing model or labels file, EIO for a model OpenCV cannot load or
 * run. Every failure is logged once, naming the file. Thread-safe.
 */
int ocv_run(enum ocv_task task, const struct ocv_model *m, const void *img,
	    size_t len, struct ocv_result *out);
void ocv_result_free(struct ocv_result *r);

/*
 * Generic inference: `in` through the model file (loaded once, in the same
 * cache as the tasks' models), the output `out_name` (NULL: the last layer's)
 * into `out`, as vaccel_tensor_infer says: VACCEL_ENOBUFS with the needed
 * shape when out->count is too small. Thread-safe.
 */
int ocv_infer(const char *model, const char *out_name, const struct vaccel_tensor *in,
	      struct vaccel_tensor *out);
/* Drop every cached model (plugin fini). */
void ocv_release_all(void);

/*
 * dnn.cpp is a module of its own (vaccel-opencv-dnn.so), loaded by the
 * plugin on first use: the functions above, as its one exported symbol
 * `ocv_dnn` gives them.
 */
struct ocv_dnn {
	int (*run)(enum ocv_task task, const struct ocv_model *m, const void *img,
		   size_t len, struct ocv_result *out);
	void (*result_free)(struct ocv_result *r);
	int (*infer)(const char *model, const char *out_name,
		     const struct vaccel_tensor *in, struct vaccel_tensor *out);
	void (*release_all)(void);
};

/* header.c: reject empty, truncated or oversized images before decoding. */
int ocv_check_image(const unsigned char *img, size_t len, long max_pixels);

#ifdef __cplusplus
}
#endif

#endif

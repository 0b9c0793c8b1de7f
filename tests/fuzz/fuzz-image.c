/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: the image header checks the opencv plugin makes
 * before OpenCV decodes anything (sizes a header declares, truncation).
 */
#include <stddef.h>
#include "../../plugins/opencv/vision.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	ocv_check_image(data, size, 64L * 1024 * 1024);
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Image checks before decoding: OpenCV would allocate whatever a header
 * declares, and libjpeg silently grey-fills a truncated file, so the
 * declared size and the JPEG end marker are checked here first.
 */
#include <stdint.h>
#include <string.h>
#include <vaccel.h>
#include "vision.h"

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t be16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* PNG: the IHDR chunk is first and holds width and height. */
static int png_size(const unsigned char *p, size_t len, uint64_t *w, uint64_t *h)
{
	if (len < 24 || memcmp(p + 12, "IHDR", 4)) {
		vaccel_error("opencv: truncated PNG image (%zu bytes, no IHDR chunk)", len);
		return VACCEL_EINVAL;
	}
	*w = be32(p + 16);
	*h = be32(p + 20);
	return VACCEL_OK;
}

/* JPEG: walk the marker segments to the first SOFn; the file must end in EOI. */
static int jpeg_size(const unsigned char *p, size_t len, uint64_t *w, uint64_t *h)
{
	size_t tail = len > 1024 ? len - 1024 : 2;
	bool eoi = false;
	for (size_t i = tail; i + 1 < len; i++)
		eoi = eoi || (p[i] == 0xff && p[i + 1] == 0xd9);
	if (!eoi) {
		vaccel_error("opencv: truncated JPEG image (%zu bytes, no end-of-image marker)", len);
		return VACCEL_EINVAL;
	}
	for (size_t i = 2; i + 9 < len;) {
		if (p[i] != 0xff)
			break;
		unsigned marker = p[i + 1];
		size_t seg = be16(p + i + 2);
		bool sof = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 &&
			   marker != 0xc8 && marker != 0xcc;
		if (sof) {
			*h = be16(p + i + 5);
			*w = be16(p + i + 7);
			return VACCEL_OK;
		}
		i += 2 + seg;
	}
	vaccel_error("opencv: malformed JPEG image (%zu bytes, no frame header)", len);
	return VACCEL_EINVAL;
}

int ocv_check_image(const unsigned char *img, size_t len, long max_pixels)
{
	static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	uint64_t w = 0, h = 0;
	int ret = VACCEL_OK;
	if (!len) {
		vaccel_error("opencv: empty image (0 bytes)");
		return VACCEL_EINVAL;
	}
	if (len >= 8 && !memcmp(img, png_sig, 8))
		ret = png_size(img, len, &w, &h);
	else if (len >= 3 && img[0] == 0xff && img[1] == 0xd8 && img[2] == 0xff)
		ret = jpeg_size(img, len, &w, &h);
	else
		return VACCEL_OK; /* other formats: OpenCV's decoder decides */
	if (ret)
		return ret;
	if (!w || !h || w * h > (uint64_t)max_pixels) {
		vaccel_error("opencv: image declares %llux%llu pixels, outside 1..%ld "
			     "(the plugin's max-pixels)", (unsigned long long)w,
			     (unsigned long long)h, max_pixels);
		return VACCEL_EINVAL;
	}
	return VACCEL_OK;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Image checks before decoding: OpenCV would allocate whatever a header
 * declares (a few hundred bytes of run-length-coded BMP can ask for
 * gigabytes), and libjpeg silently grey-fills a truncated file, so the
 * declared size and the JPEG end marker are checked here first. Only
 * formats whose size is read here are decoded: JPEG, PNG, BMP, PNM and
 * WebP.
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

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[1] << 8 | p[0]);
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

/* BMP: the DIB header after the 14-byte file header (a core one: 16-bit sizes). */
static int bmp_size(const unsigned char *p, size_t len, uint64_t *w, uint64_t *h)
{
	if (len < 26 || (le32(p + 14) != 12 && len < 26 + 4)) {
		vaccel_error("opencv: truncated BMP image (%zu bytes, no DIB header)", len);
		return VACCEL_EINVAL;
	}
	if (le32(p + 14) == 12) {
		*w = le16(p + 18);
		*h = le16(p + 20);
	} else {
		int32_t sw = (int32_t)le32(p + 18), sh = (int32_t)le32(p + 22);
		*w = sw < 0 ? 0 : (uint64_t)sw;  /* a negative width is invalid */
		*h = sh < 0 ? (uint64_t)-(int64_t)sh : (uint64_t)sh; /* negative: top-down */
	}
	return VACCEL_OK;
}

/* PNM (P1..P6): width and height in ASCII after the magic, '#' comments between. */
static int pnm_size(const unsigned char *p, size_t len, uint64_t *w, uint64_t *h)
{
	uint64_t v[2] = { 0, 0 };
	size_t i = 2;
	for (int k = 0; k < 2; k++) {
		for (;;) {
			while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
				i++;
			if (i < len && p[i] == '#') {
				while (i < len && p[i] != '\n')
					i++;
				continue;
			}
			break;
		}
		size_t digits = 0;
		for (; i < len && p[i] >= '0' && p[i] <= '9' && digits < 10; i++, digits++)
			v[k] = v[k] * 10 + (uint64_t)(p[i] - '0');
		if (!digits) {
			vaccel_error("opencv: malformed PNM image (%zu bytes, no %s)", len,
				     k ? "height" : "width");
			return VACCEL_EINVAL;
		}
	}
	*w = v[0];
	*h = v[1];
	return VACCEL_OK;
}

/* WebP: RIFF, then a VP8 (lossy), VP8L (lossless) or VP8X (extended) chunk. */
static int webp_size(const unsigned char *p, size_t len, uint64_t *w, uint64_t *h)
{
	if (len >= 30 && !memcmp(p + 12, "VP8 ", 4)) {
		*w = le16(p + 26) & 0x3fff;
		*h = le16(p + 28) & 0x3fff;
	} else if (len >= 25 && !memcmp(p + 12, "VP8L", 4)) {
		uint32_t b = le32(p + 21);
		*w = (b & 0x3fff) + 1;
		*h = ((b >> 14) & 0x3fff) + 1;
	} else if (len >= 30 && !memcmp(p + 12, "VP8X", 4)) {
		*w = ((uint64_t)p[24] | (uint64_t)p[25] << 8 | (uint64_t)p[26] << 16) + 1;
		*h = ((uint64_t)p[27] | (uint64_t)p[28] << 8 | (uint64_t)p[29] << 16) + 1;
	} else {
		vaccel_error("opencv: truncated or unknown WebP image (%zu bytes)", len);
		return VACCEL_EINVAL;
	}
	return VACCEL_OK;
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
	else if (len >= 2 && img[0] == 'B' && img[1] == 'M')
		ret = bmp_size(img, len, &w, &h);
	else if (len >= 2 && img[0] == 'P' && img[1] >= '1' && img[1] <= '6')
		ret = pnm_size(img, len, &w, &h);
	else if (len >= 12 && !memcmp(img, "RIFF", 4) && !memcmp(img + 8, "WEBP", 4))
		ret = webp_size(img, len, &w, &h);
	else {
		/* A format whose size is not read here could declare any. */
		vaccel_error("opencv: the image (%zu bytes) is not JPEG, PNG, BMP, PNM or WebP",
			     len);
		return VACCEL_EINVAL;
	}
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

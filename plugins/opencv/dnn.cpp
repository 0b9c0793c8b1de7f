// SPDX-License-Identifier: Apache-2.0
// The opencv plugin's C++ side: OpenCV dnn behind the extern "C" functions
// of vision.h. No exception leaves this file: each becomes a VACCEL_E* code
// and one logged line naming the file or the problem.
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <strings.h>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>
#include <sys/stat.h>
#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vaccel/error.h>
#include <vaccel/log.h>
#include "vision.h"

namespace {

// A loaded model: forward() is not thread-safe, so each net has its lock.
struct Loaded {
	std::mutex lock;
	cv::dnn::Net net;
	std::vector<std::string> labels;
};

// Key: model, config, labels. On the heap and never destroyed at exit:
// static destructors of a dlopen'ed C++ plugin run in no useful order
// relative to OpenCV's own; fini (ocv_release_all) empties it instead.
std::mutex &cache_lock = *new std::mutex;
std::map<std::string, std::unique_ptr<Loaded>> &cache =
	*new std::map<std::string, std::unique_ptr<Loaded>>;

const char *const task_names[OCV_NR_TASKS] = { "classify", "detect", "segment", "pose", "depth" };

// The first line of an OpenCV exception: the rest repeats the source location.
std::string first_line(const cv::Exception &e)
{
	std::string s = e.err.empty() ? e.what() : e.err;
	return s.substr(0, s.find('\n'));
}

// `what` names the file as the profile or the caller does ("classify-model");
// a profile's models are the standard ones, which `vaccel models` fetches.
int check_file(const std::string &what, const char *path, bool from_profile)
{
	struct stat st;
	if (!stat(path, &st))
		return VACCEL_OK;
	vaccel_error("opencv: %s %s: %s%s", what.c_str(), path, strerror(errno),
		     from_profile ? " (a file the profile's opencv options name, see "
				    "vaccel-profile(5))" : "");
	return VACCEL_ENOENT;
}

int read_labels(const char *task, const char *path, std::vector<std::string> &out)
{
	std::ifstream in(path);
	if (!in) {
		vaccel_error("opencv: %s-labels %s: cannot read it", task, path);
		return VACCEL_ENOENT;
	}
	for (std::string line; std::getline(in, line);) {
		if (!line.empty() && line.back() == '\r')
			line.pop_back();
		out.push_back(line);
	}
	return VACCEL_OK;
}

// Load a net once, then share it: `what` prefixes the messages ("classify").
int load(const char *what, const char *model, const char *config, const char *labels,
	 bool from_profile, Loaded **out)
{
	std::string t = what;
	std::string key = std::string(model) + '\n' + (config ? config : "") + '\n' +
			  (labels ? labels : "");
	std::lock_guard<std::mutex> g(cache_lock);
	auto it = cache.find(key);
	if (it != cache.end()) {
		*out = it->second.get();
		return VACCEL_OK;
	}
	int ret = check_file(t + "-model", model, from_profile);
	if (!ret && config)
		ret = check_file(t + "-config", config, from_profile);
	if (ret)
		return ret;
	auto l = std::make_unique<Loaded>();
	if (labels && (ret = read_labels(what, labels, l->labels)))
		return ret;
	try {
		l->net = cv::dnn::readNet(model, config ? config : "");
	} catch (const cv::Exception &e) {
		vaccel_error("opencv: %s-model %s: OpenCV cannot load it: %s", what, model,
			     first_line(e).c_str());
		return VACCEL_EIO;
	}
	if (l->net.empty()) {
		vaccel_error("opencv: %s-model %s: OpenCV cannot load it", what, model);
		return VACCEL_EIO;
	}
	vaccel_debug("opencv: %s: loaded %s", what, model);
	*out = l.get();
	cache.emplace(key, std::move(l));
	return VACCEL_OK;
}

// The labels file must name exactly the classes the model outputs.
int check_labels(enum ocv_task task, const ocv_model *m, const Loaded &l, size_t classes)
{
	if (l.labels.size() == classes)
		return VACCEL_OK;
	vaccel_error("opencv: %s-labels %s has %zu lines, the model %s outputs %zu classes",
		     task_names[task], m->labels ? m->labels : "(none)", l.labels.size(),
		     m->model, classes);
	return VACCEL_EINVAL;
}

const std::string &label(const Loaded &l, size_t i)
{
	static const std::string none = "?";
	return i < l.labels.size() ? l.labels[i] : none;
}

// Letterbox: keep the aspect ratio, centre, black border (NanoDet's input).
struct Letterbox {
	double ratio;
	int dx, dy;
};

cv::Mat letterbox(const cv::Mat &img, int w, int h, Letterbox &lb)
{
	lb.ratio = std::min((double)w / img.cols, (double)h / img.rows);
	int nw = std::max(1, (int)std::lround(img.cols * lb.ratio));
	int nh = std::max(1, (int)std::lround(img.rows * lb.ratio));
	lb.dx = (w - nw) / 2;
	lb.dy = (h - nh) / 2;
	cv::Mat out(h, w, img.type(), cv::Scalar::all(0)), small;
	cv::resize(img, small, cv::Size(nw, nh));
	small.copyTo(out(cv::Rect(lb.dx, lb.dy, nw, nh)));
	return out;
}

cv::Mat make_blob(const cv::Mat &img, const ocv_model *m)
{
	cv::Mat blob = cv::dnn::blobFromImage(img, m->scale, cv::Size(m->width, m->height),
					      cv::Scalar(m->mean[0], m->mean[1], m->mean[2]),
					      m->rgb, false);
	for (int c = 0; c < 3; c++)
		if (m->std[c] != 1.0) {
			cv::Mat plane(m->height, m->width, CV_32F, blob.ptr<float>(0, c));
			plane /= m->std[c];
		}
	if (m->nhwc) {
		cv::Mat t;
		cv::transposeND(blob, { 0, 2, 3, 1 }, t);
		return t;
	}
	return blob;
}

// ---- per task: decode the outputs into text lines and draw the image ----

struct Job {
	enum ocv_task task;
	const ocv_model *m;
	Loaded *l;
	cv::Mat img;  // decoded input, BGR; the output image is drawn on it
	std::string text;
};

cv::Mat forward(Job &j, const cv::Mat &blob)
{
	j.l->net.setInput(blob);
	return j.l->net.forward();
}

void line(Job &j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void line(Job &j, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	j.text += buf;
	j.text += '\n';
}

void caption(cv::Mat &img, const std::string &s, cv::Point at, cv::Scalar colour)
{
	double fs = std::max(0.5, img.cols / 1000.0);
	cv::putText(img, s, at, cv::FONT_HERSHEY_SIMPLEX, fs, cv::Scalar(0, 0, 0), 4);
	cv::putText(img, s, at, cv::FONT_HERSHEY_SIMPLEX, fs, colour, 1);
}

int run_classify(Job &j)
{
	cv::Mat out = forward(j, make_blob(j.img, j.m)).reshape(1, 1);
	size_t n = out.total();
	int ret = check_labels(j.task, j.m, *j.l, n);
	if (ret)
		return ret;
	cv::Mat p;
	out.convertTo(p, CV_32F);
	if (j.m->softmax) {
		double mx;
		cv::minMaxLoc(p, nullptr, &mx);
		cv::exp(p - mx, p);
		p /= cv::sum(p)[0];
	}
	std::vector<int> idx(n);
	for (size_t i = 0; i < n; i++)
		idx[i] = (int)i;
	size_t k = std::min(n, (size_t)j.m->top);
	const float *v = p.ptr<float>();
	std::partial_sort(idx.begin(), idx.begin() + k, idx.end(),
			  [v](int a, int b) { return v[a] > v[b]; });
	for (size_t i = 0; i < k; i++)
		line(j, "class %.6f %s", v[idx[i]], label(*j.l, idx[i]).c_str());
	char top[300];
	snprintf(top, sizeof(top), "%s %.2f", label(*j.l, idx[0]).c_str(), v[idx[0]]);
	caption(j.img, top, cv::Point(10, 40), cv::Scalar(0, 255, 255));
	return VACCEL_OK;
}

// NanoDet: per stride, a class map [N, C] and a box map [N, 4*bins].
int run_detect(Job &j)
{
	const ocv_model *m = j.m;
	Letterbox lb;
	cv::Mat in = letterbox(j.img, m->width, m->height, lb);
	std::vector<cv::Mat> outs;
	j.l->net.setInput(make_blob(in, m));
	j.l->net.forward(outs, j.l->net.getUnconnectedOutLayersNames());
	size_t classes = j.l->labels.size();
	int ret = check_labels(j.task, m, *j.l, classes ? classes : 1);
	if (ret)
		return ret;
	std::map<size_t, cv::Mat> cls, box; // by row count
	for (auto &o : outs) {
		size_t last = (size_t)o.size[o.dims - 1], rows = o.total() / last;
		cv::Mat r = o.reshape(1, (int)rows);
		if (last == classes)
			cls[rows] = r;
		else if (last % 4 == 0)
			box[rows] = r;
	}
	if (cls.empty() || cls.size() != box.size()) {
		vaccel_error("opencv: detect-model %s: no class maps with %zu columns (the "
			     "labels' count) paired with box maps", m->model, classes);
		return VACCEL_EINVAL;
	}
	std::vector<cv::Rect2d> boxes;
	std::vector<float> scores;
	std::vector<int> ids;
	for (auto &c : cls) {
		cv::Mat &b = box[c.first];
		if (b.empty())
			return VACCEL_EINVAL;
		int s = 0, fw = 0;
		for (int st : { 8, 16, 32, 64 }) {
			int w = (m->width + st - 1) / st, h = (m->height + st - 1) / st;
			if ((size_t)(w * h) == c.first)
				s = st, fw = w;
		}
		if (!s)
			continue;
		int bins = b.cols / 4;
		for (int i = 0; i < c.second.rows; i++) {
			cv::Point best;
			double score;
			cv::minMaxLoc(c.second.row(i), nullptr, &score, nullptr, &best);
			if (score < m->threshold)
				continue;
			double cx = (i % fw) * s + 0.5 * (s - 1), cy = (i / fw) * s + 0.5 * (s - 1);
			double side[4];
			for (int e = 0; e < 4; e++) {
				const float *q = b.ptr<float>(i) + e * bins;
				double mx = *std::max_element(q, q + bins), sum = 0, ex = 0;
				for (int k = 0; k < bins; k++) {
					double w = std::exp(q[k] - mx);
					sum += w;
					ex += w * k;
				}
				side[e] = ex / sum * s;
			}
			double x0 = (cx - side[0] - lb.dx) / lb.ratio, y0 = (cy - side[1] - lb.dy) / lb.ratio;
			double x1 = (cx + side[2] - lb.dx) / lb.ratio, y1 = (cy + side[3] - lb.dy) / lb.ratio;
			x0 = std::max(0.0, x0), y0 = std::max(0.0, y0);
			x1 = std::min((double)j.img.cols, x1), y1 = std::min((double)j.img.rows, y1);
			boxes.emplace_back(x0, y0, x1 - x0, y1 - y0);
			scores.push_back((float)score);
			ids.push_back(best.x);
		}
	}
	// Per-class NMS in one call: shift each class's boxes apart.
	std::vector<cv::Rect2d> shifted(boxes);
	double apart = j.img.cols + j.img.rows + 1.0;
	for (size_t i = 0; i < boxes.size(); i++)
		shifted[i].x += ids[i] * apart;
	std::vector<int> keep;
	cv::dnn::NMSBoxes(shifted, scores, (float)m->threshold, 0.5f, keep);
	std::sort(keep.begin(), keep.end(), [&](int a, int b) { return scores[a] > scores[b]; });
	for (int i : keep) {
		const cv::Rect2d &r = boxes[i];
		line(j, "box %.6f %d %d %d %d %s", scores[i], (int)r.x, (int)r.y,
		     (int)r.width, (int)r.height, label(*j.l, ids[i]).c_str());
		cv::rectangle(j.img, r, cv::Scalar(0, 255, 0), 2);
		caption(j.img, label(*j.l, ids[i]), cv::Point((int)r.x + 4, (int)r.y + 20),
			cv::Scalar(0, 255, 0));
	}
	return VACCEL_OK;
}

// The output as [channels][height*width] planes, NCHW or NHWC.
cv::Mat planes(const cv::Mat &o, bool nhwc, int &c, int &h, int &w)
{
	c = o.size[nhwc ? 3 : 1], h = o.size[nhwc ? 1 : 2], w = o.size[nhwc ? 2 : 3];
	cv::Mat flat = o.reshape(1, nhwc ? h * w : c);
	return nhwc ? cv::Mat(flat.t()) : flat;
}

int run_segment(Job &j)
{
	cv::Mat o = forward(j, make_blob(j.img, j.m));
	if (o.dims != 4)
		return VACCEL_EINVAL;
	int c, h, w;
	cv::Mat p = planes(o, j.m->nhwc, c, h, w);
	int ret = check_labels(j.task, j.m, *j.l, (size_t)c);
	if (ret)
		return ret;
	cv::Mat cls(h, w, CV_8U);
	std::vector<size_t> count(c);
	for (int i = 0; i < h * w; i++) {
		int best = 0;
		for (int k = 1; k < c; k++)
			if (p.at<float>(k, i) > p.at<float>(best, i))
				best = k;
		cls.data[i] = (uchar)best;
		count[best]++;
	}
	std::vector<int> order(c);
	for (int k = 0; k < c; k++)
		order[k] = k;
	std::sort(order.begin(), order.end(), [&](int a, int b) { return count[a] > count[b]; });
	for (int k : order)
		if (count[k])
			line(j, "share %.6f %s", (double)count[k] / (h * w), label(*j.l, k).c_str());
	// Colour each class (background stays black) and blend over the input.
	cv::Mat colour(h, w, CV_8UC3), big;
	for (int i = 0; i < h * w; i++) {
		int k = cls.data[i];
		colour.at<cv::Vec3b>(i / w, i % w) =
			k ? cv::Vec3b((uchar)(k * 67), (uchar)(k * 113), (uchar)(k * 151)) : cv::Vec3b();
	}
	cv::resize(colour, big, j.img.size(), 0, 0, cv::INTER_NEAREST);
	cv::addWeighted(j.img, 0.5, big, 0.5, 0, j.img);
	return VACCEL_OK;
}

int run_pose(Job &j)
{
	cv::Mat o = forward(j, make_blob(j.img, j.m));
	if (o.dims != 4)
		return VACCEL_EINVAL;
	int c, h, w;
	cv::Mat p = planes(o, j.m->nhwc, c, h, w);
	size_t parts = j.l->labels.size();
	if (!parts || parts >= (size_t)c) {
		vaccel_error("opencv: pose-labels %s has %zu lines, the model %s has %d "
			     "channels (parts + background + affinity fields)",
			     j.m->labels ? j.m->labels : "(none)", parts, j.m->model, c);
		return VACCEL_EINVAL;
	}
	for (size_t k = 0; k < parts; k++) {
		// OpenPose label files end with the background channel: not a part.
		if (!strcasecmp(label(*j.l, k).c_str(), "background"))
			continue;
		cv::Mat heat(h, w, CV_32F, p.ptr<float>((int)k)), big;
		cv::resize(heat, big, j.img.size(), 0, 0, cv::INTER_CUBIC);
		double score;
		cv::Point at;
		cv::minMaxLoc(big, nullptr, &score, nullptr, &at);
		// Cubic resampling overshoots the heatmap's [0, 1] near its peaks.
		score = std::min(1.0, std::max(0.0, score));
		if (score < j.m->threshold)
			continue;
		line(j, "keypoint %.6f %d %d %s", score, at.x, at.y, label(*j.l, k).c_str());
		cv::circle(j.img, at, std::max(3, j.img.cols / 150), cv::Scalar(0, 255, 255), -1);
	}
	return VACCEL_OK;
}

int run_depth(Job &j)
{
	cv::Mat o = forward(j, make_blob(j.img, j.m));
	int h = o.size[o.dims - 2], w = o.size[o.dims - 1];
	cv::Mat d(h, w, CV_32F, o.ptr<float>()), u8, colour;
	double mn, mx;
	cv::minMaxLoc(d, &mn, &mx);
	line(j, "depth %.6f %.6f %.6f", mn, mx, cv::mean(d)[0]);
	d.convertTo(u8, CV_8U, mx > mn ? 255.0 / (mx - mn) : 0, mx > mn ? -mn * 255.0 / (mx - mn) : 0);
	cv::applyColorMap(u8, colour, cv::COLORMAP_INFERNO);
	cv::resize(colour, j.img, j.img.size());
	return VACCEL_OK;
}

int (*const runners[OCV_NR_TASKS])(Job &) = {
	run_classify, run_detect, run_segment, run_pose, run_depth,
};

int to_result(const Job &j, ocv_result *out)
{
	std::vector<uchar> bytes;
	if (!cv::imencode(".jpg", j.img, bytes))
		return VACCEL_EIO;
	out->text = strdup(j.text.c_str());
	out->image = (unsigned char *)malloc(bytes.size());
	if (!out->text || !out->image) {
		ocv_result_free(out);
		return VACCEL_ENOMEM;
	}
	memcpy(out->image, bytes.data(), bytes.size());
	out->image_len = bytes.size();
	return VACCEL_OK;
}

// The input tensor as a Mat over the caller's data (no copy).
int input_mat(const vaccel_tensor *in, cv::Mat &m)
{
	int sizes[VACCEL_TENSOR_MAX_DIMS];
	for (size_t i = 0; i < in->ndims; i++) {
		if (in->dims[i] > INT_MAX) {
			vaccel_error("opencv: tensor_infer: input dim %zu is %lld, OpenCV's "
				     "limit is %d", i, (long long)in->dims[i], INT_MAX);
			return VACCEL_EINVAL;
		}
		sizes[i] = (int)in->dims[i];
	}
	m = cv::Mat((int)in->ndims, sizes, CV_32F, in->data);
	return VACCEL_OK;
}

// Copy a result into the caller's tensor, or say what it needs.
int output_tensor(const cv::Mat &res, vaccel_tensor *out)
{
	cv::Mat f;
	res.convertTo(f, CV_32F); // a copy, continuous, float
	if (f.dims > VACCEL_TENSOR_MAX_DIMS) {
		vaccel_error("opencv: tensor_infer: the output has %d dims, the limit is %d",
			     f.dims, VACCEL_TENSOR_MAX_DIMS);
		return VACCEL_EIO;
	}
	size_t capacity = out->count;
	out->ndims = (size_t)f.dims;
	for (int i = 0; i < f.dims; i++)
		out->dims[i] = f.size[i];
	out->count = f.total();
	if (out->count > capacity)
		return VACCEL_ENOBUFS; // the caller asks the size first: not an error to log
	memcpy(out->data, f.ptr<float>(), out->count * sizeof(float));
	return VACCEL_OK;
}

} // namespace

extern "C" int ocv_run(enum ocv_task task, const struct ocv_model *m, const void *img,
		       size_t len, struct ocv_result *out)
{
	*out = ocv_result{};
	Job j{ task, m, nullptr, cv::Mat(), std::string() };
	const char *t = task_names[task];
	try {
		int ret = load(t, m->model, m->config, m->labels, true, &j.l);
		if (ret)
			return ret;
		cv::Mat raw(1, (int)len, CV_8U, const_cast<void *>(img));
		j.img = cv::imdecode(raw, cv::IMREAD_COLOR);
		if (j.img.empty()) {
			vaccel_error("opencv: %s: the image (%zu bytes) is not one OpenCV can "
				     "decode (JPEG, PNG, BMP, ...)", t, len);
			return VACCEL_EINVAL;
		}
		std::lock_guard<std::mutex> g(j.l->lock);
		ret = runners[task](j);
		return ret ? ret : to_result(j, out);
	} catch (const cv::Exception &e) {
		vaccel_error("opencv: %s with %s: %s", t, m->model, first_line(e).c_str());
		return VACCEL_EIO;
	} catch (const std::bad_alloc &) {
		vaccel_error("opencv: %s: out of memory", t);
		return VACCEL_ENOMEM;
	}
}

extern "C" int ocv_infer(const char *model, const char *out_name,
			 const struct vaccel_tensor *in, struct vaccel_tensor *out)
{
	const char *t = "tensor_infer";
	try {
		Loaded *l;
		cv::Mat blob;
		int ret = load(t, model, nullptr, nullptr, false, &l);
		if (ret || (ret = input_mat(in, blob)))
			return ret;
		std::lock_guard<std::mutex> g(l->lock);
		l->net.setInput(blob);
		cv::Mat res = out_name ? l->net.forward(out_name) : l->net.forward();
		return output_tensor(res, out);
	} catch (const cv::Exception &e) {
		vaccel_error("opencv: %s with %s%s%s: %s", t, model, out_name ? ", output " : "",
			     out_name ? out_name : "", first_line(e).c_str());
		return VACCEL_EIO;
	} catch (const std::bad_alloc &) {
		vaccel_error("opencv: %s: out of memory", t);
		return VACCEL_ENOMEM;
	}
}

extern "C" void ocv_result_free(struct ocv_result *r)
{
	free(r->text);
	free(r->image);
	*r = ocv_result{};
}

extern "C" void ocv_release_all(void)
{
	std::lock_guard<std::mutex> g(cache_lock);
	cache.clear();
}

extern "C" __attribute__((visibility("default"))) const struct ocv_dnn ocv_dnn = {
	ocv_run, ocv_result_free, ocv_infer, ocv_release_all,
};

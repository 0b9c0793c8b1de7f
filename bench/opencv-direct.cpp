// SPDX-License-Identifier: Apache-2.0
// vaccel bench's OpenCV baselines: OpenCV dnn called directly, without
// libvaccel, doing the work a classify or infer call asks of the opencv
// plugin. Run by the bench in a child; one timed call's nanoseconds per
// line on stdout.
//
//   vaccel-bench-opencv classify MODEL IMAGE RUNS SECONDS WARMUP
//       decode the image's bytes, the standard classify preprocessing
//       (224x224 RGB, (pixel - 128) / 128), forward, softmax, best class:
//       all but drawing and encoding the output image
//   vaccel-bench-opencv infer MODEL DIMS RUNS SECONDS WARMUP
//       forward a float tensor of DIMS (e.g. 1x3x224x224) filled with 0.5,
//       as the bench's infer workload sends
//
// RUNS or SECONDS 0: no limit from it (the other decides). Exit 0, or 1
// with the reason on stderr.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>
#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>

namespace {

using Clock = std::chrono::steady_clock;

struct Limits {
	long runs, warmup;
	double seconds;
};

bool read_file(const char *path, std::vector<uchar> &out)
{
	std::ifstream f(path, std::ios::binary);
	if (!f)
		return false;
	out.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
	return true;
}

// One classify call's work; the best class's index (so it is not optimised away).
int classify_once(cv::dnn::Net &net, const std::vector<uchar> &bytes)
{
	cv::Mat img = cv::imdecode(bytes, cv::IMREAD_COLOR);
	if (img.empty())
		return -1;
	cv::Mat blob = cv::dnn::blobFromImage(img, 1 / 128.0, cv::Size(224, 224),
					      cv::Scalar(128, 128, 128), true, false);
	net.setInput(blob);
	cv::Mat p = net.forward().reshape(1, 1), e;
	double mx;
	cv::Point best;
	cv::minMaxLoc(p, nullptr, &mx, nullptr, &best);
	cv::exp(p - mx, e);
	e /= cv::sum(e)[0];
	return best.x;
}

bool parse_dims(const char *s, std::vector<int> &dims)
{
	for (const char *p = s; *p;) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p || v < 1 || v > 65536 || (*end && *end != 'x'))
			return false;
		dims.push_back((int)v);
		p = *end ? end + 1 : end;
	}
	return !dims.empty() && dims.size() <= 8;
}

// Warm up, then time calls until the limits; print each timed call.
template <typename Call> int time_calls(const Limits &lim, Call call)
{
	for (long i = 0; i < lim.warmup; i++)
		if (call() < 0)
			return 1;
	Clock::time_point start = Clock::now();
	for (long i = 0; !lim.runs || i < lim.runs; i++) {
		Clock::time_point t0 = Clock::now();
		if (call() < 0)
			return 1;
		Clock::time_point t1 = Clock::now();
		printf("%lld\n", (long long)std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
		if (lim.seconds > 0 && std::chrono::duration<double>(t1 - start).count() >= lim.seconds)
			break;
	}
	return fflush(stdout) ? 1 : 0;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc != 7 || (strcmp(argv[1], "classify") && strcmp(argv[1], "infer"))) {
		fprintf(stderr, "usage: vaccel-bench-opencv classify|infer MODEL IMAGE|DIMS RUNS SECONDS WARMUP\n");
		return 2;
	}
	Limits lim{ atol(argv[4]), atol(argv[6]), atof(argv[5]) };
	if (lim.runs <= 0 && lim.seconds <= 0)
		lim.runs = 1;
	cv::dnn::Net net;
	try {
		net = cv::dnn::readNet(argv[2]);
	} catch (const cv::Exception &e) {
		fprintf(stderr, "%s: OpenCV cannot load it: %s\n", argv[2], e.what());
		return 1;
	}
	try {
		if (!strcmp(argv[1], "classify")) {
			std::vector<uchar> bytes;
			if (!read_file(argv[3], bytes)) {
				fprintf(stderr, "%s: cannot read it\n", argv[3]);
				return 1;
			}
			return time_calls(lim, [&] { return classify_once(net, bytes); });
		}
		std::vector<int> dims;
		if (!parse_dims(argv[3], dims)) {
			fprintf(stderr, "%s: not DIMS like 1x3x224x224\n", argv[3]);
			return 1;
		}
		cv::Mat in((int)dims.size(), dims.data(), CV_32F, cv::Scalar(0.5));
		return time_calls(lim, [&] {
			net.setInput(in);
			return net.forward().empty() ? -1 : 0;
		});
	} catch (const cv::Exception &e) {
		fprintf(stderr, "%s: %s\n", argv[2], e.what());
		return 1;
	}
}

// SPDX-License-Identifier: Apache-2.0

// The binding against the library it was built with (make check: the
// build tree's, with its default profile). TEST_PLUGINS names the test
// libraries and VACCEL_MODELS the shared models; tests needing them skip
// without.
package vaccel

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"
)

func session(t *testing.T) *Session {
	t.Helper()
	var s Session
	if ret := SessionInit(&s, 0); ret != OK {
		t.Fatalf("SessionInit: %d (%s)", ret, StrError(ret))
	}
	t.Cleanup(func() { SessionRelease(&s) })
	return &s
}

func env(t *testing.T, name, file string) string {
	t.Helper()
	dir := os.Getenv(name)
	if dir == "" {
		t.Skipf("$%s is not set: run through make check", name)
	}
	p := filepath.Join(dir, file)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is absent", p)
	}
	return p
}

func vision(t *testing.T, ret int) {
	t.Helper()
	if ret == ENOTSUP {
		t.Skip("no vision plugin in this build (OpenCV)")
	}
}

func TestSession(t *testing.T) {
	var s Session
	if ret := s.Init(0); ret != OK || s.GetID() <= 0 || s.GetFlags() != 0 {
		t.Fatalf("Init: %d, id %d", ret, s.GetID())
	}
	if ret := s.Init(0); ret != EALREADY {
		t.Errorf("a second Init: %d", ret)
	}
	if ret := s.Release(); ret != OK || s.GetID() != 0 {
		t.Fatalf("Release: %d", ret)
	}
	if ret := s.Release(); ret != EINVAL {
		t.Errorf("a second Release: %d", ret)
	}
	if ret := NoOp(&s); ret != EINVAL {
		t.Errorf("NoOp on a released session: %d", ret)
	}
}

func TestVersionAndErrors(t *testing.T) {
	if Version() == "" {
		t.Error("no version")
	}
	if EINVAL != 22 || ENOENT != 2 || ENOTSUP != 95 || OK != 0 {
		t.Errorf("codes: EINVAL %d ENOENT %d ENOTSUP %d", EINVAL, ENOENT, ENOTSUP)
	}
	if !strings.Contains(strings.ToLower(StrError(EINVAL)), "invalid") {
		t.Errorf("StrError(EINVAL) = %q", StrError(EINVAL))
	}
	if OpBlasSgemm.String() == "" || OpNoop != 0 || OpBlasSgemm != 17 {
		t.Errorf("op codes: %d %q", OpBlasSgemm, OpBlasSgemm.String())
	}
}

func TestNoOp(t *testing.T) {
	if ret := NoOp(session(t)); ret != OK {
		t.Fatalf("NoOp: %d", ret)
	}
}

var (
	matA = []float32{1, 2, 3, 4, 5, 6}
	matB = []float32{7, 8, 9, 10, 11, 12}
	matC = []float32{58, 64, 139, 154}
)

func TestSgemm(t *testing.T) {
	c := make([]float32, 4)
	if ret := Sgemm(session(t), 2, 2, 3, 1, matA, 3, matB, 2, 0, c, 2); ret != OK {
		t.Fatalf("Sgemm: %d", ret)
	}
	for i := range c {
		if c[i] != matC[i] {
			t.Fatalf("Sgemm: %v, want %v", c, matC)
		}
	}
	if ret := Sgemm(session(t), 2, 2, 3, 1, matA[:3], 3, matB, 2, 0, c, 2); ret != EINVAL {
		t.Errorf("Sgemm with a short a: %d", ret)
	}
}

func TestImageClassification(t *testing.T) {
	img := env(t, "VACCEL_MODELS", "images/cat.jpg")
	s := session(t)
	tag, ret := ImageClassificationFromFile(s, img)
	vision(t, ret)
	if ret != OK || !strings.Contains(strings.SplitN(tag, "\n", 2)[0], "cat") {
		t.Fatalf("classify cat.jpg: %d %q", ret, tag)
	}
	if _, ret := ImageClassification(s, []byte("not an image")); ret != EINVAL {
		t.Errorf("classify text: %d", ret)
	}
}

func TestImageOps(t *testing.T) {
	img := env(t, "VACCEL_MODELS", "images/person.jpg")
	data, _ := os.ReadFile(img)
	s := session(t)
	ops := map[string]func(*Session, []byte) (string, int){
		"detect": ImageDetection, "segment": ImageSegmentation,
		"pose": ImagePose, "depth": ImageDepth,
	}
	for name, op := range ops {
		_, ret := op(s, data)
		vision(t, ret)
		if ret != OK {
			t.Errorf("%s: %d", name, ret)
		}
	}
	if _, ret := ImageDetectionFromFile(s, img); ret != OK {
		t.Errorf("ImageDetectionFromFile: %d", ret)
	}
}

func TestExec(t *testing.T) {
	lib := env(t, "TEST_PLUGINS", "libexectest.so")
	s := session(t)
	read, write := ArgsInit(2), ArgsInit(1)
	defer read.Delete()
	defer write.Delete()
	read.AddInt32Arg(40)
	read.AddInt32Arg(2)
	var sum int32
	write.ExpectSerialArg(unsafe.Pointer(&sum), 4)
	if ret := Exec(s, lib, "add_int32", read, write); ret != OK || sum != 42 {
		t.Fatalf("Exec add_int32: %d, sum %d", ret, sum)
	}
	if ret := Exec(s, lib, "always_fails", read, write); ret == OK {
		t.Error("always_fails succeeded")
	}
	if ret := Exec(s, lib+".absent", "add_int32", read, write); ret != ENOENT {
		t.Errorf("a missing library: %d", ret)
	}

	str, out := ArgsInit(1), ArgsInit(1)
	defer str.Delete()
	defer out.Delete()
	str.AddStringArg("hello")
	out.ExpectNonSerialArg(16)
	if ret := Exec(s, lib, "reverse", str, out); ret != OK {
		t.Fatalf("Exec reverse: %d", ret)
	}
	if got := C_string(out.ExtractBytes(0)); got != "olleh" {
		t.Errorf("reverse: %q", got)
	}
}

// C_string is the bytes up to the first NUL.
func C_string(b []byte) string {
	if i := strings.IndexByte(string(b), 0); i >= 0 {
		return string(b[:i])
	}
	return string(b)
}

func TestExecWithResource(t *testing.T) {
	lib := env(t, "TEST_PLUGINS", "libexectest.so")
	s := session(t)
	var r Resource
	if ret := r.Init(lib, ResourceLib); ret != OK || r.GetID() <= 0 || r.GetPath() != lib {
		t.Fatalf("Resource.Init: %d", ret)
	}
	defer r.Release()
	if ret := s.Register(&r); ret != OK {
		t.Fatalf("Register: %d", ret)
	}
	if ret := s.Register(&r); ret != EEXIST {
		t.Errorf("a second Register: %d", ret)
	}
	read, write := ArgsInit(2), ArgsInit(1)
	defer read.Delete()
	defer write.Delete()
	read.AddInt32Arg(1)
	read.AddInt32Arg(2)
	write.ExpectNonSerialArg(4)
	if ret := ExecWithResource(s, &r, "add_int32", read, write); ret != OK {
		t.Fatalf("ExecWithResource: %d", ret)
	}
	if got := *(*int32)(write.ExtractSerialArg(0)); got != 3 {
		t.Errorf("1 + 2 = %d", got)
	}
	if ret := s.Unregister(&r); ret != OK {
		t.Errorf("Unregister: %d", ret)
	}
}

func TestResource(t *testing.T) {
	var r Resource
	if ret := r.Init("/nonexistent/model.onnx", ResourceModel); ret != ENOENT {
		t.Errorf("a missing file: %d", ret)
	}
	if ret := r.InitFromBuf([]byte("data"), ResourceData, "blob.bin", false); ret != OK || r.GetID() <= 0 {
		t.Fatalf("InitFromBuf: %d", ret)
	}
	if ret := r.Release(); ret != OK {
		t.Errorf("Release: %d", ret)
	}
}

func TestGenop(t *testing.T) {
	s := session(t)
	read, write := ArgsInit(11), ArgsInit(1)
	defer read.Delete()
	defer write.Delete()
	read.AddUint8Arg(uint8(OpBlasSgemm))
	read.AddInt64Arg(2)
	read.AddInt64Arg(2)
	read.AddInt64Arg(3)
	read.AddFloat32Arg(1)
	read.AddFloat32ArrayArg(matA)
	read.AddInt64Arg(3)
	read.AddFloat32ArrayArg(matB)
	read.AddInt64Arg(2)
	read.AddFloat32Arg(0)
	read.AddInt64Arg(2)
	c := make([]float32, 4)
	write.ExpectSerialArg(unsafe.Pointer(&c[0]), 16)
	if ret := Genop(s, read, write); ret != OK {
		t.Fatalf("Genop sgemm: %d", ret)
	}
	for i := range c {
		if c[i] != matC[i] {
			t.Fatalf("Genop sgemm: %v", c)
		}
	}

	bad := ArgsInit(1)
	defer bad.Delete()
	bad.AddUint8Arg(200)
	if ret := Genop(s, bad, nil); ret != EINVAL {
		t.Errorf("Genop of op 200: %d", ret)
	}
}

func TestMinmax(t *testing.T) {
	_, min, max, ret := Minmax(session(t), []float64{5, 1, 9, 3, 4}, 2, 8)
	if ret != OK || min != 1 || max != 9 {
		t.Fatalf("Minmax: %d, %v %v", ret, min, max)
	}
}

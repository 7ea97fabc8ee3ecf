package core

import (
	"math/rand/v2"
	"testing"
)

var mmData = func() []float64 {
	r := rand.New(rand.NewPCG(1, 1))
	x := make([]float64, 1<<15)
	for i := range x {
		x[i] = r.Float64()
	}
	return x
}()

func BenchmarkMMMin(b *testing.B) {
	b.SetBytes(int64(len(mmData) * 8))
	for b.Loop() {
		minContig(mmData)
	}
}
func BenchmarkMMMax(b *testing.B) {
	b.SetBytes(int64(len(mmData) * 8))
	for b.Loop() {
		maxContig(mmData)
	}
}
func BenchmarkMMSum(b *testing.B) {
	b.SetBytes(int64(len(mmData) * 8))
	for b.Loop() {
		sumContig[float64](sliceAtPtr(mmData), len(mmData))
	}
}
func BenchmarkMMArgmax(b *testing.B) {
	b.SetBytes(int64(len(mmData) * 8))
	for b.Loop() {
		argContig(true, mmData)
	}
}

var mmSorted = func() []float64 {
	x := make([]float64, 1<<15)
	for i := range x {
		x[i] = float64(i)
	}
	return x
}()

func BenchmarkMMMaxSorted(b *testing.B) {
	b.SetBytes(int64(len(mmSorted) * 8))
	for b.Loop() {
		maxContig(mmSorted)
	}
}
func BenchmarkMMArgmaxSorted(b *testing.B) {
	b.SetBytes(int64(len(mmSorted) * 8))
	for b.Loop() {
		argContig(true, mmSorted)
	}
}

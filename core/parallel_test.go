package core

import (
	"os"
	"testing"
)

// The package's tests run every kernel with as many goroutines as chunks
// allow (one chunk per goroutine is enough), so that the parallel paths
// and the race detector see small inputs too; TestChunkWorkers checks the
// rule the production thresholds go through.
func TestMain(m *testing.M) {
	reduceChunksPerWorker, elemChunksPerWorker = 1, 1
	os.Exit(m.Run())
}

func TestChunkWorkers(t *testing.T) {
	for _, c := range []struct{ threads, nchunks, minPer, want int }{
		{2, 1, 12, 1}, {2, 11, 12, 1}, {2, 23, 12, 1}, {2, 24, 12, 2}, {2, 100, 12, 2},
		{2, 3, 4, 1}, {2, 8, 4, 2}, {8, 8, 4, 2}, {8, 64, 4, 8}, {8, 5, 1, 5}, {8, 5, 0, 5}, {1, 100, 1, 1},
	} {
		if got := chunkWorkers(c.threads, c.nchunks, c.minPer); got != c.want {
			t.Errorf("chunkWorkers(%d, %d, %d) = %d, want %d", c.threads, c.nchunks, c.minPer, got, c.want)
		}
	}
}

package handle

import "testing"

func TestTableReusesSlots(t *testing.T) {
	var tab Table[int]
	a, b := new(int), new(int)
	ha, hb := tab.Add(a), tab.Add(b)
	if ha == 0 || hb == 0 || ha == hb {
		t.Fatalf("handles %d %d", ha, hb)
	}
	if tab.Get(ha) != a || tab.Get(hb) != b {
		t.Fatal("Get returned the wrong value")
	}
	if tab.Remove(ha) != a || tab.Live() != 1 {
		t.Fatal("Remove")
	}
	if hc := tab.Add(a); hc != ha {
		t.Fatalf("slot not reused: %d vs %d", hc, ha)
	}
	for _, h := range []uintptr{0, ha + 100} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Get(%d) did not panic", h)
				}
			}()
			tab.Get(h)
		}()
	}
}

func BenchmarkAddRemove(b *testing.B) {
	var tab Table[int]
	v := new(int)
	for b.Loop() {
		tab.Remove(tab.Add(v))
	}
}

package sqldb_test

import (
	"testing"
	"time"
)

// One holder at a time, across servers; given back, or run out, it can
// be taken again.
func TestTryLease(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		other := MustOpenDB(t, f.DSN, f.Clock)
		release, ok, err := f.DB.TryLease(f.Context, "retrain", 10*time.Minute)
		if err != nil || !ok {
			t.Fatalf("first: %v %v", ok, err)
		}
		if _, ok, err := other.TryLease(f.Context, "retrain", 10*time.Minute); err != nil || ok {
			t.Fatalf("second server while held: %v %v", ok, err)
		}
		if rel, ok, err := other.TryLease(f.Context, "sweep", time.Minute); err != nil || !ok {
			t.Fatalf("another name: %v %v", ok, err)
		} else {
			rel()
		}
		release()
		rel2, ok, err := other.TryLease(f.Context, "retrain", 10*time.Minute)
		if err != nil || !ok {
			t.Fatalf("after release: %v %v", ok, err)
		}
		// Not given back (a crash): taken again once it runs out.
		_ = rel2
		if _, ok, _ := f.DB.TryLease(f.Context, "retrain", 10*time.Minute); ok {
			t.Fatal("taken while the crashed holder's lease runs")
		}
		f.Clock.Advance(11 * time.Minute)
		if _, ok, err := f.DB.TryLease(f.Context, "retrain", 10*time.Minute); err != nil || !ok {
			t.Fatalf("after it ran out: %v %v", ok, err)
		}
	})
}

package sqldb_test

import (
	"testing"
	"time"

	"hotline/sqldb"
)

// TestJobs_ClaimedOnce: two handles on one database (two servers) claim a
// job once; a second request while it runs is refused, or remembered as
// "again"; progress and outcome read the same from both; a runner silent
// for sqldb.StaleJob loses its claim.
func TestJobs_ClaimedOnce(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		other := MustOpenDB(t, f.DSN, f.Clock)
		ctx, name := f.Context, sqldb.TrainJob("unit")
		if ok, err := f.DB.StartJob(ctx, name, "训练中", false); !ok || err != nil {
			t.Fatalf("first claim: %v %v", ok, err)
		}
		if ok, _ := other.StartJob(ctx, name, "训练中", false); ok {
			t.Fatal("the second server claimed a running job")
		}
		f.DB.SetJobProgress(ctx, name, "3/10")
		if st, running, _ := other.JobProgress(ctx, name); st != "3/10" || !running {
			t.Errorf("progress on the other server: %q %v", st, running)
		}
		if again, err := f.DB.FinishJob(ctx, name, "完成"); again || err != nil {
			t.Errorf("finish: %v %v", again, err)
		}
		if st, running, _ := other.JobProgress(ctx, name); st != "完成" || running {
			t.Errorf("outcome on the other server: %q %v", st, running)
		}
		// Re-index: a request during a run makes it run once more.
		f.DB.StartJob(ctx, sqldb.JobKBReindex, "排队中", true)
		if ok, _ := other.StartJob(ctx, sqldb.JobKBReindex, "排队中", true); ok {
			t.Fatal("claimed twice")
		}
		if again, _ := f.DB.FinishJob(ctx, sqldb.JobKBReindex, "完成"); !again {
			t.Error("the request made during the run was lost")
		}
		if again, _ := f.DB.FinishJob(ctx, sqldb.JobKBReindex, "完成"); again {
			t.Error("ran again twice")
		}
		// A runner that died: after StaleJob another server takes over.
		f.DB.StartJob(ctx, name, "训练中", false)
		f.Clock.Advance(sqldb.StaleJob + time.Minute)
		if ok, _ := other.StartJob(ctx, name, "训练中", false); !ok {
			t.Error("a stale claim was not taken over")
		}
	})
}

package sqldb_test

import (
	"testing"

	"hotline"
	"hotline/wfm"
)

// TestTraining_Records: a month's business training and a team-building
// day are recorded with their participants and counted for the month;
// a record in the future, without participants or with an unknown
// participant is refused naming the field; a unit cannot read them.
func TestTraining_Records(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		ctx, w := f.Context, f.DB.Workforce()
		pm := hotline.Actor{Role: hotline.RoleProjectManager, Name: "项目经理"}
		var ids []int64
		for _, n := range []string{"甲", "乙", "丙"} {
			m, err := w.SaveMember(ctx, pm, wfm.Member{Name: "员工" + n, Posts: []string{wfm.PostCall}, Status: wfm.MemberActive, HireDate: "2026-01-01", CertifiedDate: "2026-01-15"})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, m.ID)
		}
		good := wfm.TrainingRecord{Kind: wfm.TrainingMonthly, Title: "11月业务培训：供暖政策", Date: "2026-11-18", Hours: 2, Place: "培训室", Participants: ids}
		for field, bad := range map[string]func(*wfm.TrainingRecord){
			"kind":         func(r *wfm.TrainingRecord) { r.Kind = "party" },
			"date":         func(r *wfm.TrainingRecord) { r.Date = "2026-12-30" },
			"hours":        func(r *wfm.TrainingRecord) { r.Hours = 0 },
			"participants": func(r *wfm.TrainingRecord) { r.Participants = []int64{99999} },
		} {
			r := good
			bad(&r)
			if _, err := w.AddTrainingRecord(ctx, pm, r); hotline.ErrorField(err) != field {
				t.Errorf("%s: %v", field, err)
			}
		}
		if _, err := w.AddTrainingRecord(ctx, pm, good); err != nil {
			t.Fatal(err)
		}
		if _, err := w.AddTrainingRecord(ctx, pm, wfm.TrainingRecord{Kind: wfm.ActivityTeamBuilding, Title: "秋季登山团建", Date: "2026-11-08", Hours: 4,
			Participants: ids[:2]}); err != nil {
			t.Fatal(err)
		}
		list, month, err := w.TrainingRecords(ctx, pm, "2026-11")
		if err != nil || len(list) != 2 || len(list[0].Participants) != 2 || len(list[1].Participants) != 3 || month.MonthlyTraining != 1 || month.TeamBuilding != 1 {
			t.Fatalf("records %+v %+v %v", list, month, err)
		}
		if _, empty, _ := w.TrainingRecords(ctx, pm, "2026-10"); empty.MonthlyTraining != 0 || empty.TeamBuilding != 0 {
			t.Errorf("October %+v", empty)
		}
		if _, _, err := w.TrainingRecords(ctx, f.Actors["water"], "2026-11"); hotline.ErrorCode(err) != hotline.EForbidden {
			t.Errorf("a unit read training: %v", err)
		}
	})
}

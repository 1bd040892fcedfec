package wfm

import (
	"time"
	"unicode/utf8"

	"hotline"
)

// Training and staff activities (培训、团建与员工关怀): what was held,
// when, for how long and who took part — the records the assessment
// reads for the month's business training (−10 without it) and team
// building (−5 without it).

// Record kinds.
const (
	TrainingOnboarding      = "onboarding"      // 上岗培训
	TrainingMonthly         = "monthly"         // 月度业务培训
	TrainingConfidentiality = "confidentiality" // 保密培训
	ActivityTeamBuilding    = "team_building"   // 团建
	ActivityCompetition     = "competition"     // 劳动竞赛
	ActivityCare            = "care"            // 节日关怀
)

// RecordKindNames name the kinds.
var RecordKindNames = map[string]string{TrainingOnboarding: "上岗培训", TrainingMonthly: "月度业务培训", TrainingConfidentiality: "保密培训",
	ActivityTeamBuilding: "团建", ActivityCompetition: "劳动竞赛", ActivityCare: "节日关怀"}

// TrainingRecord is a training session or a staff activity.
type TrainingRecord struct {
	ID           int64   `json:"id"`
	Kind         string  `json:"kind"`
	Title        string  `json:"title"`
	Date         string  `json:"date"` // YYYY-MM-DD
	Hours        float64 `json:"hours"`
	Place        string  `json:"place"`
	Trainer      string  `json:"trainer,omitempty"`
	Notes        string  `json:"notes,omitempty"`
	Participants []int64 `json:"participants"` // staff record ids
	Photos       []int64 `json:"photos"`       // photo ids (/staff/training/photos/{id})
}

// Check refuses a record that makes no sense, naming the field.
func (r TrainingRecord) Check(today time.Time) error {
	if _, ok := RecordKindNames[r.Kind]; !ok {
		return hotline.Invalid("kind", "类型应为 onboarding、monthly、confidentiality、team_building、competition 或 care")
	}
	if n := utf8.RuneCountInString(r.Title); n == 0 || n > 100 {
		return hotline.Invalid("title", "主题不能为空且不超过100字")
	}
	d, err := time.ParseInLocation("2006-01-02", r.Date, hotline.ChinaZone)
	if err != nil {
		return hotline.Invalid("date", "日期应为 YYYY-MM-DD")
	}
	if d.After(today) {
		return hotline.Invalid("date", "只能记录已经举办的培训和活动")
	}
	if r.Hours <= 0 || r.Hours > 24 {
		return hotline.Invalid("hours", "时长应在 0 到 24 小时之间")
	}
	if len(r.Participants) == 0 {
		return hotline.Invalid("participants", "请选择参加人员")
	}
	if utf8.RuneCountInString(r.Place) > 100 || utf8.RuneCountInString(r.Trainer) > 40 || utf8.RuneCountInString(r.Notes) > 1000 {
		return hotline.Invalid("notes", "地点不超过100字，讲师不超过40字，说明不超过1000字")
	}
	return nil
}

// MonthRecord is what the month's records show for the assessment.
type MonthRecord struct {
	Month           string `json:"month"` // YYYY-MM
	MonthlyTraining int    `json:"monthly_training"`
	TeamBuilding    int    `json:"team_building"` // team building, competitions and care
}

// SummarizeMonth counts a month's monthly training sessions and team
// activities.
func SummarizeMonth(month string, records []TrainingRecord) MonthRecord {
	m := MonthRecord{Month: month}
	for _, r := range records {
		if len(r.Date) < 7 || r.Date[:7] != month {
			continue
		}
		switch r.Kind {
		case TrainingMonthly:
			m.MonthlyTraining++
		case ActivityTeamBuilding, ActivityCompetition, ActivityCare:
			m.TeamBuilding++
		}
	}
	return m
}

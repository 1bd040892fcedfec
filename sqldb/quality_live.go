package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"hotline"
	"hotline/quality"
)

// StartMonitoring records that the actor (an inspector or team lead)
// starts listening to an agent's seat, with the call the agent is on, if
// any; an observer's earlier monitoring still open is ended first.
func (q *Quality) StartMonitoring(ctx context.Context, actor hotline.Actor, agentID int64) (*quality.Monitoring, error) {
	if !quality.CanInspect(actor) {
		return nil, hotline.Errorf(hotline.EForbidden, "%s不能实时监控坐席", actor.Role.Label())
	}
	tx, err := q.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var role string
	if err := tx.QueryRowContext(ctx, `SELECT role FROM users WHERE id = $1`, agentID).Scan(&role); errors.Is(err, sql.ErrNoRows) || err == nil && role != string(hotline.RoleCallAgent) {
		return nil, hotline.Invalid("agent_id", "没有这个话务员")
	} else if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE live_monitoring SET ended_at = $1 WHERE observer_id = $2 AND ended_at IS NULL`, tx.now.UnixMilli(), actor.UserID); err != nil {
		return nil, err
	}
	var call sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM calls WHERE agent_id = $1 AND outcome = 'talking' ORDER BY answered_at DESC LIMIT 1`, agentID).Scan(&call); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO live_monitoring (observer_id, agent_id, call_id, started_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		actor.UserID, agentID, call, tx.now.UnixMilli()).Scan(&id); err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, "quality.monitor", fmt.Sprintf("user:%d", agentID), ""); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return q.monitoring(ctx, id)
}

// EndMonitoring ends the actor's monitoring with what was found.
func (q *Quality) EndMonitoring(ctx context.Context, actor hotline.Actor, id int64, findings string) (*quality.Monitoring, error) {
	if err := hotline.CheckInput("findings", findings); err != nil {
		return nil, err
	}
	if len([]rune(findings)) > 2000 {
		return nil, hotline.Invalid("findings", "监控记录不超过2000字")
	}
	tx, err := q.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE live_monitoring SET ended_at = COALESCE(ended_at, $1), findings = $2 WHERE id = $3 AND observer_id = $4`,
		tx.now.UnixMilli(), hotline.TrimText(findings), id, actor.UserID)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, hotline.Errorf(hotline.ENotFound, "没有这次监控")
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return q.monitoring(ctx, id)
}

const monitoringColumns = `m.id, m.observer_id, o.username, m.agent_id, a.username, COALESCE(c.call_id, ''), m.started_at, m.ended_at, m.findings
	FROM live_monitoring m JOIN users o ON o.id = m.observer_id JOIN users a ON a.id = m.agent_id LEFT JOIN calls c ON c.id = m.call_id`

func (q *Quality) scanMonitoring(row interface{ Scan(...any) error }) (*quality.Monitoring, error) {
	m := &quality.Monitoring{}
	var started int64
	if err := row.Scan(&m.ID, &m.ObserverID, &m.Observer, &m.AgentID, &m.Agent, &m.CallID, &started, nullTime{&m.EndedAt}, &m.Findings); err != nil {
		return nil, err
	}
	m.StartedAt = fromMS(started)
	end := q.db.Now()
	if m.EndedAt != nil {
		end = *m.EndedAt
	}
	m.Minutes = float64(end.Sub(m.StartedAt).Round(time.Second)) / float64(time.Minute)
	return m, nil
}

func (q *Quality) monitoring(ctx context.Context, id int64) (*quality.Monitoring, error) {
	return q.scanMonitoring(q.db.read.QueryRowContext(ctx, `SELECT `+monitoringColumns+` WHERE m.id = $1`, id))
}

// OpenMonitoring returns the actor's monitoring still open, nil if none.
func (q *Quality) OpenMonitoring(ctx context.Context, actor hotline.Actor) (*quality.Monitoring, error) {
	m, err := q.scanMonitoring(q.db.read.QueryRowContext(ctx, `SELECT `+monitoringColumns+` WHERE m.observer_id = $1 AND m.ended_at IS NULL
		ORDER BY m.started_at DESC LIMIT 1`, actor.UserID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return m, err
}

// LiveMonitoringDay returns a day's (China time) live monitoring and its
// figure, the distinct seats monitored, to the quality staff and managers.
func (q *Quality) LiveMonitoringDay(ctx context.Context, actor hotline.Actor, day time.Time) (*quality.LiveDay, error) {
	if !(&quality.Inspection{}).CanSee(actor) {
		return nil, hotline.Errorf(hotline.EForbidden, "%s不能查看质检统计", actor.Role.Label())
	}
	local := day.In(hotline.ChinaZone)
	from := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, hotline.ChinaZone)
	rows, err := q.db.read.QueryContext(ctx, `SELECT `+monitoringColumns+` WHERE m.started_at >= $1 AND m.started_at < $2 ORDER BY m.started_at`,
		from.UnixMilli(), from.AddDate(0, 0, 1).UnixMilli())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	d := &quality.LiveDay{Date: from.Format("2006-01-02"), Sessions: []*quality.Monitoring{}}
	for rows.Next() {
		m, err := q.scanMonitoring(rows)
		if err != nil {
			return nil, err
		}
		d.Sessions = append(d.Sessions, m)
	}
	d.Finish()
	return d, rows.Err()
}

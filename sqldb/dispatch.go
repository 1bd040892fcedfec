package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"hotline"
)

// Dispatch-model targets: what a model suggests.
const (
	TargetUnit     = "unit"     // the lead unit
	TargetCategory = "category" // the leaf category
)

// DispatchModel is a trained dispatch classifier and its evaluation.
type DispatchModel struct {
	ID        int64     `json:"id"`
	Target    string    `json:"target"`
	TrainedOn int       `json:"trained_on"` // tickets
	Accuracy  float64   `json:"accuracy"`   // on the held-out fifth
	MacroF1   float64   `json:"macro_f1"`
	Report    string    `json:"report"` // per-class figures, as `hotline dispatch eval` prints them
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
	Data      []byte    `json:"-"` // the classify model file
}

// DispatchTrainingSet returns the concluded and archived tickets' text
// (title and content) with their final lead unit or category id as label,
// newest first, at most limit: the deployment's own history.
func (db *DB) DispatchTrainingSet(ctx context.Context, target string, limit int) (texts, labels []string, err error) {
	col := map[string]string{TargetUnit: "lead_unit_id", TargetCategory: "category_id"}[target]
	if col == "" {
		return nil, nil, hotline.Invalid("target", "应为 unit 或 category")
	}
	rows, err := db.read.QueryContext(ctx, `SELECT title, content, `+col+` FROM tickets
		WHERE status IN ('concluded', 'archived') AND `+col+` IS NOT NULL ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var title, content string
		var label int64
		if err := rows.Scan(&title, &content, &label); err != nil {
			return nil, nil, err
		}
		texts, labels = append(texts, title+"\n"+content), append(labels, strconv.FormatInt(label, 10))
	}
	return texts, labels, rows.Err()
}

// SaveDispatchModel stores a trained model, not active yet.
func (db *DB) SaveDispatchModel(ctx context.Context, actor hotline.Actor, m *DispatchModel) error {
	if !actor.Role.Has(hotline.PermManageConfig) {
		return hotline.Errorf(hotline.EForbidden, "只有系统管理员可以训练派单模型")
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	m.CreatedAt, m.Active = tx.now, false
	if err := tx.QueryRowContext(ctx, `INSERT INTO dispatch_models (target, trained_on, accuracy, macro_f1, report, data, active, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7, $8) RETURNING id`, m.Target, m.TrainedOn, m.Accuracy, m.MacroF1, m.Report, m.Data,
		nullID(actor.UserID), tx.now.UnixMilli()).Scan(&m.ID); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, "dispatch.train", fmt.Sprintf("model:%d %s", m.ID, m.Target),
		fmt.Sprintf("n=%d macro_f1=%.4f", m.TrainedOn, m.MacroF1)); err != nil {
		return err
	}
	return tx.Commit()
}

// ActivateDispatchModel switches a model on (and its target's other
// models off); id 0 with a target switches the target's suggestions off.
func (db *DB) ActivateDispatchModel(ctx context.Context, actor hotline.Actor, target string, id int64) error {
	if !actor.Role.Has(hotline.PermManageConfig) {
		return hotline.Errorf(hotline.EForbidden, "只有系统管理员可以启用派单模型")
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if id != 0 {
		if err := tx.QueryRowContext(ctx, `SELECT target FROM dispatch_models WHERE id = $1`, id).Scan(&target); err == sql.ErrNoRows {
			return hotline.Errorf(hotline.ENotFound, "派单模型不存在")
		} else if err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE dispatch_models SET active = FALSE WHERE target = $1`, target); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE dispatch_models SET active = TRUE WHERE id = $1`, id); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, "dispatch.activate", fmt.Sprintf("model:%d %s", id, target), ""); err != nil {
		return err
	}
	return tx.Commit()
}

// FindDispatchModels lists the models, newest first, without their data.
func (db *DB) FindDispatchModels(ctx context.Context) ([]*DispatchModel, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, target, trained_on, accuracy, macro_f1, report, active, created_at
		FROM dispatch_models ORDER BY id DESC LIMIT 50`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*DispatchModel
	for rows.Next() {
		m := &DispatchModel{}
		var at int64
		if err := rows.Scan(&m.ID, &m.Target, &m.TrainedOn, &m.Accuracy, &m.MacroF1, &m.Report, &m.Active, &at); err != nil {
			return nil, err
		}
		m.CreatedAt = fromMS(at)
		out = append(out, m)
	}
	return out, rows.Err()
}

// ActiveDispatchModelID is the id of the target's active model, or 0.
func (db *DB) ActiveDispatchModelID(ctx context.Context, target string) (int64, error) {
	var id int64
	err := db.read.QueryRowContext(ctx, `SELECT id FROM dispatch_models WHERE target = $1 AND active`, target).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return id, err
}

// DispatchModelData returns a model's file.
func (db *DB) DispatchModelData(ctx context.Context, id int64) ([]byte, error) {
	var data []byte
	err := db.read.QueryRowContext(ctx, `SELECT data FROM dispatch_models WHERE id = $1`, id).Scan(&data)
	if err == sql.ErrNoRows {
		return nil, hotline.Errorf(hotline.ENotFound, "派单模型不存在")
	}
	return data, err
}

// DispatchRecord is one dispatch: what the model and the catalogue
// suggested, and what the dispatcher chose.
type DispatchRecord struct {
	TicketID, ModelID, SuggestedUnitID, CatalogueUnitID, FinalUnitID int64
	Confidence                                                       float64
}

// RecordDispatch stores a dispatch's suggestion beside its choice.
func (db *DB) RecordDispatch(ctx context.Context, actor hotline.Actor, r DispatchRecord) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := insertDispatchRecord(ctx, tx, actor, r); err != nil {
		return err
	}
	return tx.Commit()
}

func insertDispatchRecord(ctx context.Context, tx *Tx, actor hotline.Actor, r DispatchRecord) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO dispatch_suggestions (ticket_id, model_id, suggested_unit_id, confidence,
		catalogue_unit_id, final_unit_id, actor_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, r.TicketID, nullID(r.ModelID),
		nullID(r.SuggestedUnitID), r.Confidence, nullID(r.CatalogueUnitID), r.FinalUnitID, nullID(actor.UserID), tx.now.UnixMilli())
	return err
}

// UnitDispatch is a unit's dispatches and reviewed returns in a period.
type UnitDispatch struct {
	UnitID     int64   `json:"unit_id"`
	Dispatched int     `json:"dispatched"`
	Returned   int     `json:"returned"`    // approved returns (退单)
	Rejected   int     `json:"rejected"`    // return requests the centre rejected (退单驳回)
	ReturnRate float64 `json:"return_rate"` // approved returns per dispatch (退单率)
}

// DispatchFigures are the dispatch-accuracy figures of a period.
type DispatchFigures struct {
	Dispatches     int             `json:"dispatches"`      // recorded with a suggestion
	ModelAgreed    int             `json:"model_agreed"`    // the model's first unit was chosen
	ModelAccuracy  float64         `json:"model_accuracy"`  // 派单准确率 of the suggestions
	CatalogueAgree int             `json:"catalogue_agree"` // the catalogue's unit was chosen
	Units          []*UnitDispatch `json:"units"`
}

// FindDispatchFigures counts [from, to): how often the model's and the
// catalogue's suggestion was the dispatcher's choice, and per unit how
// many tickets it was sent, how many returns of it the centre approved and
// how many it rejected (by the time of the decision).
func (db *DB) FindDispatchFigures(ctx context.Context, from, to time.Time) (*DispatchFigures, error) {
	f := &DispatchFigures{}
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN suggested_unit_id = final_unit_id THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN catalogue_unit_id = final_unit_id THEN 1 ELSE 0 END), 0)
		FROM dispatch_suggestions WHERE created_at >= $1 AND created_at < $2 AND model_id IS NOT NULL`,
		from.UnixMilli(), to.UnixMilli()).Scan(&f.Dispatches, &f.ModelAgreed, &f.CatalogueAgree)
	if err != nil {
		return nil, err
	}
	if f.Dispatches > 0 {
		f.ModelAccuracy = float64(f.ModelAgreed) / float64(f.Dispatches)
	}
	// Dispatches as recorded (every dispatch is); returns as reviewed.
	rows, err := db.read.QueryContext(ctx, `SELECT u, SUM(d), SUM(r), SUM(j) FROM (
			SELECT final_unit_id AS u, 1 AS d, 0 AS r, 0 AS j FROM dispatch_suggestions WHERE created_at >= $1 AND created_at < $2
			UNION ALL
			SELECT unit_id, 0, CASE WHEN decision = $3 THEN 1 ELSE 0 END, CASE WHEN decision = $4 THEN 1 ELSE 0 END
			FROM ticket_returns WHERE decided_at >= $1 AND decided_at < $2
		) x GROUP BY u ORDER BY SUM(r) DESC, SUM(j) DESC, SUM(d) DESC`, from.UnixMilli(), to.UnixMilli(), hotline.ReturnApproved, hotline.ReturnRejected)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		u := &UnitDispatch{}
		if err := rows.Scan(&u.UnitID, &u.Dispatched, &u.Returned, &u.Rejected); err != nil {
			return nil, err
		}
		// A ticket dispatched before the records began may come back.
		if u.Dispatched < u.Returned {
			u.Dispatched = u.Returned
		}
		if u.Dispatched > 0 {
			u.ReturnRate = float64(u.Returned) / float64(u.Dispatched)
		}
		f.Units = append(f.Units, u)
	}
	return f, rows.Err()
}

// AutoDispatchThreshold is the probability from which a ticket submitted
// for dispatch is dispatched by the model alone; 0 (the default) is off.
func (db *DB) AutoDispatchThreshold(ctx context.Context) (float64, error) {
	v, err := db.setting(ctx, "dispatch.auto_threshold", "0")
	if err != nil {
		return 0, err
	}
	return strconv.ParseFloat(v, 64)
}

// SetAutoDispatchThreshold sets it (admin): 0 switches automatic dispatch
// off; otherwise between 0.5 and 1.
func (db *DB) SetAutoDispatchThreshold(ctx context.Context, actor hotline.Actor, p float64) error {
	if !actor.Role.Has(hotline.PermManageConfig) {
		return hotline.Errorf(hotline.EForbidden, "只有系统管理员可以设置自动派单")
	}
	if p != 0 && (p < 0.5 || p > 1) {
		return hotline.Invalid("auto_threshold", "自动派单阈值应为 0（关闭）或 0.5 到 1 之间")
	}
	return db.setSetting(ctx, actor, "dispatch.auto", "dispatch.auto_threshold", strconv.FormatFloat(p, 'f', -1, 64))
}

// DispatchRetrainDays is how many days after its newest model a target's
// model is trained again (jobs.DispatchRetrainer); 0 (the default) leaves
// training to an admin.
func (db *DB) DispatchRetrainDays(ctx context.Context) (int, error) {
	v, err := db.setting(ctx, "dispatch.retrain_days", "0")
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(v)
}

// SetDispatchRetrainDays sets it (admin): 0 (off) or 1 to 365 days.
func (db *DB) SetDispatchRetrainDays(ctx context.Context, actor hotline.Actor, days int) error {
	if !actor.Role.Has(hotline.PermManageConfig) {
		return hotline.Errorf(hotline.EForbidden, "只有系统管理员可以设置定期训练")
	}
	if days < 0 || days > 365 {
		return hotline.Invalid("retrain_days", "定期训练间隔应为 0（关闭）或 1 到 365 天")
	}
	return db.setSetting(ctx, actor, "dispatch.retrain", "dispatch.retrain_days", strconv.Itoa(days))
}

// setting reads a centre setting, or def when it was never set.
func (db *DB) setting(ctx context.Context, name, def string) (string, error) {
	return readSetting(ctx, db.read, name, def)
}

func readSetting(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, name, def string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = $1`, name).Scan(&v)
	if err == sql.ErrNoRows {
		return def, nil
	}
	return v, err
}

// setSetting writes a centre setting and audits it as action.
func (db *DB) setSetting(ctx context.Context, actor hotline.Actor, action, name, value string) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, value); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, action, "settings:"+name, value); err != nil {
		return err
	}
	return tx.Commit()
}

package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"hotline"
	"hotline/wfm"
)

func canManageStaff(actor hotline.Actor) error {
	if !actor.Role.Has(hotline.PermManageStaff) {
		return hotline.Errorf(hotline.EForbidden, "%s不能管理人员档案", actor.Role.Label())
	}
	return nil
}

const memberColumns = `id, COALESCE(user_id, 0), name, phone, id_number, posts, skills, education, manager, reserve, status, hire_date, certified_date,
	confidentiality_date, background_check_date, notice_date, leave_date`

// Members lists the team, by order of entry: names in full (the roster
// needs them), phone and ID number masked.
func (w *Workforce) Members(ctx context.Context, actor hotline.Actor) ([]wfm.Member, error) {
	if err := canManageStaff(actor); err != nil {
		return nil, err
	}
	return w.members(ctx, "TRUE")
}

// members reads the records the condition selects, masked.
func (w *Workforce) members(ctx context.Context, where string) ([]wfm.Member, error) {
	rows, err := w.db.read.QueryContext(ctx, `SELECT `+memberColumns+` FROM staff_members WHERE `+where+` ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []wfm.Member{}
	for rows.Next() {
		m, err := w.scanMember(rows)
		if err != nil {
			return nil, err
		}
		m.Phone, m.IDNumber = hotline.MaskPhone(m.Phone), maskID(m.IDNumber)
		out = append(out, m)
	}
	return out, rows.Err()
}

// maskID keeps an ID number's first 3 and last 4 characters.
func maskID(s string) string {
	r := []rune(s)
	if len(r) <= 7 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + strings.Repeat("*", len(r)-7) + string(r[len(r)-4:])
}

func (w *Workforce) scanMember(r interface{ Scan(...any) error }) (wfm.Member, error) {
	var m wfm.Member
	var posts string
	if err := r.Scan(&m.ID, &m.UserID, &m.Name, &m.Phone, &m.IDNumber, &posts, &m.Skills, &m.Education, &m.Manager, &m.Reserve, &m.Status, &m.HireDate,
		&m.CertifiedDate, &m.ConfidentialityDate, &m.BackgroundCheckDate, &m.NoticeDate, &m.LeaveDate); err != nil {
		return m, err
	}
	m.Posts = strings.Split(posts, ",")
	var err error
	k := w.db.keys
	if m.Name, err = k.Decrypt("staff_name", m.Name); err == nil {
		if m.Phone, err = k.Decrypt("staff_phone", m.Phone); err == nil {
			m.IDNumber, err = k.Decrypt("staff_id_number", m.IDNumber)
		}
	}
	return m, err
}

// SaveMember creates a staff record (ID 0) or replaces one, its personal
// fields sealed; a user account is linked at most once. Audited without
// the personal fields.
func (w *Workforce) SaveMember(ctx context.Context, actor hotline.Actor, m wfm.Member) (*wfm.Member, error) {
	if err := canManageStaff(actor); err != nil {
		return nil, err
	}
	m.Name, m.Phone, m.IDNumber = strings.TrimSpace(m.Name), strings.TrimSpace(m.Phone), strings.TrimSpace(m.IDNumber)
	if err := m.Check(); err != nil {
		return nil, err
	}
	k := w.db.keys
	name, err := k.Encrypt("staff_name", m.Name)
	if err != nil {
		return nil, err
	}
	phone, err := k.Encrypt("staff_phone", m.Phone)
	if err != nil {
		return nil, err
	}
	idn, err := k.Encrypt("staff_id_number", m.IDNumber)
	if err != nil {
		return nil, err
	}
	tx, err := w.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if m.UserID != 0 {
		var other int64
		switch err := tx.QueryRowContext(ctx, `SELECT id FROM staff_members WHERE user_id = $1`, m.UserID).Scan(&other); {
		case err == nil && other != m.ID:
			return nil, hotline.Invalid("user_id", "该账号已关联另一份人员档案")
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return nil, err
		}
		if err := checkExists(ctx, tx, "users", m.UserID, "user_id", "账号"); err != nil {
			return nil, err
		}
	}
	args := []any{nullID(m.UserID), name, phone, idn, k.ActiveKeyID(), strings.Join(m.Posts, ","), m.Skills, m.Education, m.Manager, m.Status,
		m.HireDate, m.CertifiedDate, m.ConfidentialityDate, m.BackgroundCheckDate, m.NoticeDate, m.LeaveDate, tx.now.UnixMilli(), m.Reserve}
	action := "staff.update"
	if m.ID == 0 {
		action = "staff.create"
		err = tx.QueryRowContext(ctx, `INSERT INTO staff_members (user_id, name, phone, id_number, key_id, posts, skills, education, manager, status,
			hire_date, certified_date, confidentiality_date, background_check_date, notice_date, leave_date, created_at, updated_at, reserve)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18) RETURNING id`, args...).Scan(&m.ID)
	} else {
		var res sql.Result
		res, err = tx.ExecContext(ctx, `UPDATE staff_members SET user_id = $1, name = $2, phone = $3, id_number = $4, key_id = $5, posts = $6,
			skills = $7, education = $8, manager = $9, status = $10, hire_date = $11, certified_date = $12, confidentiality_date = $13,
			background_check_date = $14, notice_date = $15, leave_date = $16, updated_at = $17, reserve = $18 WHERE id = $19`, append(args, m.ID)...)
		if err == nil {
			if n, _ := res.RowsAffected(); n == 0 {
				return nil, hotline.Errorf(hotline.ENotFound, "人员档案 %d 不存在", m.ID)
			}
		}
	}
	if err != nil {
		return nil, err
	}
	detail := "posts=" + strings.Join(m.Posts, ",") + " status=" + m.Status + " certified=" + m.CertifiedDate + " reserve=" + strconv.FormatBool(m.Reserve)
	if err := appendAudit(ctx, tx, actor, action, "staff:"+strconv.FormatInt(m.ID, 10), detail); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	m.Phone, m.IDNumber = hotline.MaskPhone(m.Phone), maskID(m.IDNumber)
	return &m, nil
}

// checkCertified is the certification gate (上岗): a call agent whose
// staff record has no passed onboarding exam cannot accept tickets. A
// call agent with no staff record is let through (the team's records are
// kept by the project manager; the staff page lists agents without one).
func checkCertified(ctx context.Context, tx *Tx, actor hotline.Actor) error {
	if actor.Role != hotline.RoleCallAgent || actor.UserID == 0 {
		return nil
	}
	var certified, status string
	err := tx.QueryRowContext(ctx, `SELECT certified_date, status FROM staff_members WHERE user_id = $1`, actor.UserID).Scan(&certified, &status)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	case certified == "":
		return hotline.Errorf(hotline.EForbidden, "尚未通过上岗培训考试，不能受理工单；请联系项目经理安排考试")
	case status == wfm.MemberLeft:
		return hotline.Errorf(hotline.EForbidden, "人员档案已离职，不能受理工单")
	}
	return nil
}

package sqldb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"hotline"
)

// PortalLimits bound what one phone may ask of the citizen channels.
type PortalLimits struct {
	CodeInterval  time.Duration // between two codes to one phone (60 s)
	CodeTTL       time.Duration // how long a code holds (10 min)
	CodeAttempts  int           // wrong tries before a code is spent (5)
	SMSPerDay     int           // messages to one phone in 24 hours (10)
	AppealsPerDay int           // appeals from one phone in 24 hours (5)
}

// DefaultPortalLimits are the limits unless configured.
var DefaultPortalLimits = PortalLimits{CodeInterval: time.Minute, CodeTTL: 10 * time.Minute, CodeAttempts: 5, SMSPerDay: 10, AppealsPerDay: 5}

// Code purposes.
const (
	CodeSubmit = "submit" // verify the phone before an appeal is filed
	CodeQuery  = "query"  // verify it before a ticket is shown
)

// PortalUser is the account that files the portal's appeals (the
// tickets' first owner, 首接): it cannot sign in; the centre checks each
// appeal in 待提交 before dispatch.
const PortalUser = "portal"

// portalActor is the portal's account, made the first time it is needed.
func portalActor(ctx context.Context, tx *Tx) (hotline.Actor, error) {
	a := hotline.Actor{Name: "网上诉求", Role: hotline.RoleCallAgent}
	if _, err := tx.ExecContext(ctx, `INSERT INTO users (username, display_name, password_hash, role, active, created_at)
		VALUES ($1, $2, '!', $3, FALSE, $4) ON CONFLICT (username) DO NOTHING`, PortalUser, a.Name, a.Role, tx.now.UnixMilli()); err != nil {
		return a, err
	}
	err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE username = $1`, PortalUser).Scan(&a.UserID)
	return a, err
}

// Portal is the citizen channels' store: codes, the SMS log, appeals
// and the citizen's view of them.
type Portal struct {
	db     *DB
	Limits PortalLimits
}

// Portal returns the citizen channels' store with the DB's limits.
func (db *DB) Portal() *Portal {
	l := db.PortalLimits
	if l == (PortalLimits{}) {
		l = DefaultPortalLimits
	}
	return &Portal{db: db, Limits: l}
}

// mobile checks a mainland mobile number (11 digits from 1).
func mobile(field, phone string) (string, error) {
	p := hotline.NormalizePhone(phone)
	if len(p) != 11 || p[0] != '1' {
		return "", hotline.Invalid(field, "请填写正确的11位手机号码")
	}
	return p, nil
}

func (p *Portal) phoneIndex(phone string) string { return p.db.keys.BlindIndex("sms:" + phone) }

// codeHash is a code's keyed hash, bound to the phone and purpose.
func (p *Portal) codeHash(index, purpose, code string) string {
	return p.db.keys.BlindIndex("code:" + index + ":" + purpose + ":" + code)
}

// IssueCode makes a six-digit code for the phone and purpose and returns
// it (to be sent by SMS, then RecordSMS): no sooner than CodeInterval
// after the last one, at most SMSPerDay messages a day to one phone.
// Only its hash is kept.
func (p *Portal) IssueCode(ctx context.Context, phone, purpose string) (string, error) {
	phone, err := mobile("phone", phone)
	if err != nil {
		return "", err
	}
	if purpose != CodeSubmit && purpose != CodeQuery {
		return "", hotline.Invalid("purpose", "应为 submit 或 query")
	}
	index := p.phoneIndex(phone)
	tx, err := p.db.begin(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	var last sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(created_at) FROM sms_codes WHERE phone_index = $1`, index).Scan(&last); err != nil {
		return "", err
	}
	if last.Valid {
		if wait := fromMS(last.Int64).Add(p.Limits.CodeInterval).Sub(tx.now); wait > 0 {
			return "", hotline.Errorf(hotline.ETooMany, "验证码已发送，请 %d 秒后再试", int(wait.Seconds())+1)
		}
	}
	if err := p.checkDaily(ctx, tx, index); err != nil {
		return "", err
	}
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	code := fmt.Sprintf("%06d", n.Int64())
	if _, err := tx.ExecContext(ctx, `INSERT INTO sms_codes (phone_index, purpose, code_hash, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)`,
		index, purpose, p.codeHash(index, purpose, code), tx.now.Add(p.Limits.CodeTTL).UnixMilli(), tx.now.UnixMilli()); err != nil {
		return "", err
	}
	return code, tx.Commit()
}

// checkDaily refuses a phone that had SMSPerDay messages in 24 hours.
func (p *Portal) checkDaily(ctx context.Context, tx *Tx, index string) error {
	var sent int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sms_messages WHERE phone_index = $1 AND created_at >= $2 AND status = 'sent'`,
		index, tx.now.Add(-24*time.Hour).UnixMilli()).Scan(&sent); err != nil {
		return err
	}
	if sent >= p.Limits.SMSPerDay {
		return hotline.Errorf(hotline.ETooMany, "该手机号今天的短信已达 %d 条上限，请明天再试", p.Limits.SMSPerDay)
	}
	return nil
}

// RecordSMS logs a message sent (or failed) to a phone: kind, status,
// the provider's reference, the phone masked and indexed; never the
// text.
func (p *Portal) RecordSMS(ctx context.Context, phone, kind, ref string, ticketID int64, sendErr error) error {
	phone = hotline.NormalizePhone(phone)
	status, msg := "sent", ""
	if sendErr != nil {
		status, msg = "failed", sendErr.Error()
		if len(msg) > 200 {
			msg = msg[:200]
		}
	}
	tx, err := p.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO sms_messages (phone_index, phone_masked, kind, status, ref, error, ticket_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, p.phoneIndex(phone), hotline.MaskPhone(phone), kind, status, ref, msg, nullID(ticketID), tx.now.UnixMilli()); err != nil {
		return err
	}
	return tx.Commit()
}

// CanMessage reports whether the phone may get another message today.
func (p *Portal) CanMessage(ctx context.Context, phone string) error {
	tx, err := p.db.beginRead(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return p.checkDaily(ctx, tx, p.phoneIndex(hotline.NormalizePhone(phone)))
}

// wrongCode is a wrong code for the code row id: counted once the
// refused transaction is gone.
type wrongCode struct{ id int64 }

func (wrongCode) Error() string { return "code: wrong verification code" }

// withCode checks and spends the phone's latest code for the purpose,
// then runs fn in the same transaction: a code is spent only with what
// it was for. A wrong code counts (CodeAttempts of them spend it).
func (p *Portal) withCode(ctx context.Context, phone, purpose, code string, fn func(tx *Tx) error) error {
	err := p.tryCode(ctx, phone, purpose, code, fn)
	var wc wrongCode
	if errors.As(err, &wc) {
		tx, err := p.db.begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, `UPDATE sms_codes SET attempts = attempts + 1 WHERE id = $1`, wc.id); err != nil {
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		return hotline.Invalid("code", "验证码不正确")
	}
	return err
}

func (p *Portal) tryCode(ctx context.Context, phone, purpose, code string, fn func(tx *Tx) error) error {
	index := p.phoneIndex(phone)
	tx, err := p.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var id, expires int64
	var hash string
	var attempts int
	err = tx.QueryRowContext(ctx, `SELECT id, code_hash, attempts, expires_at FROM sms_codes WHERE phone_index = $1 AND purpose = $2 AND used_at IS NULL
		ORDER BY created_at DESC, id DESC LIMIT 1`, index, purpose).Scan(&id, &hash, &attempts, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return hotline.Invalid("code", "请先获取短信验证码")
	} else if err != nil {
		return err
	}
	if fromMS(expires).Before(tx.now) || attempts >= p.Limits.CodeAttempts {
		return hotline.Invalid("code", "验证码已失效，请重新获取")
	}
	if p.codeHash(index, purpose, strings.TrimSpace(code)) != hash {
		return wrongCode{id}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sms_codes SET used_at = $1 WHERE id = $2`, tx.now.UnixMilli(), id); err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// UseToken spends a proof-of-work token (its hash) once: a second use
// is refused.
func (p *Portal) UseToken(ctx context.Context, hash string, expires time.Time) error {
	tx, err := p.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM portal_tokens WHERE expires_at < $1`, tx.now.UnixMilli()); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO portal_tokens (token_hash, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`, hash, expires.UnixMilli())
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return hotline.Invalid("pow", "验证已使用过，请刷新页面重试")
	}
	return tx.Commit()
}

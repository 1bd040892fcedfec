package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"hotline"
)

// UserPatch changes an account; nil fields stay as they are.
type UserPatch struct {
	Active      *bool         `json:"active"`
	Role        *hotline.Role `json:"role"`
	UnitID      *int64        `json:"unit_id"`
	DisplayName *string       `json:"display_name"`
}

// UpdateUser disables or enables an account, changes its role, unit or
// name (admins). Disabling ends every session and token of the user at
// once; any change makes the user's open event streams re-check, on every
// instance. An admin cannot disable or demote themselves (someone must be
// left to manage accounts).
func (db *DB) UpdateUser(ctx context.Context, actor hotline.Actor, id int64, p UserPatch) (*hotline.User, error) {
	if !actor.Role.Has(hotline.PermManageUsers) {
		return nil, hotline.Errorf(hotline.EForbidden, "只有系统管理员可以修改用户")
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hotline.Errorf(hotline.ENotFound, "用户不存在")
	} else if err != nil {
		return nil, err
	}
	before := *u
	var changes []string
	if p.DisplayName != nil {
		u.DisplayName = *p.DisplayName
	}
	if p.Role != nil {
		if u.Role = *p.Role; u.Role != hotline.RoleUnit {
			u.UnitID = 0
		}
	}
	if p.UnitID != nil {
		u.UnitID = *p.UnitID
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if u.UnitID != 0 && u.UnitID != before.UnitID {
		if err := checkExists(ctx, tx, "units", u.UnitID, "unit_id", "单位"); err != nil {
			return nil, err
		}
	}
	if p.Active != nil {
		u.Active = *p.Active
	}
	if u.ID == actor.UserID && (!u.Active || !u.Role.Has(hotline.PermManageUsers)) {
		return nil, hotline.Errorf(hotline.EConflict, "不能停用自己或取消自己的管理员角色")
	}
	for _, c := range []struct {
		changed bool
		text    string
	}{
		{u.DisplayName != before.DisplayName, "姓名"},
		{u.Role != before.Role, fmt.Sprintf("角色 %s→%s", before.Role, u.Role)},
		{u.UnitID != before.UnitID, fmt.Sprintf("单位 %d→%d", before.UnitID, u.UnitID)},
		{u.Active != before.Active, map[bool]string{true: "启用", false: "停用"}[u.Active]},
	} {
		if c.changed {
			changes = append(changes, c.text)
		}
	}
	if len(changes) == 0 {
		return u, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET display_name = $1, role = $2, unit_id = $3, active = $4 WHERE id = $5`,
		u.DisplayName, u.Role, nullID(u.UnitID), u.Active, u.ID); err != nil {
		return nil, err
	}
	if !u.Active {
		if err := revokeAll(ctx, tx, u.ID, 0); err != nil {
			return nil, err
		}
	}
	if err := bumpCounter(ctx, tx, referenceCounter); err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, "user.update", userTarget(u), strings.Join(changes, "；")); err != nil {
		return nil, err
	}
	tx.changed(Change{UserID: u.ID})
	return u, tx.Commit()
}

// ResetPassword sets a password chosen by an admin; the user must change
// it at the next login, and every session and token of theirs ends now.
func (db *DB) ResetPassword(ctx context.Context, actor hotline.Actor, id int64, password string) error {
	if !actor.Role.Has(hotline.PermManageUsers) {
		return hotline.Errorf(hotline.EForbidden, "只有系统管理员可以重置密码")
	}
	u, err := db.FindUserByID(ctx, id)
	if err != nil {
		return err
	}
	return db.setPassword(ctx, actor, u, password, true, 0, "user.reset_password")
}

// ChangePassword sets the actor's own password after checking the current
// one; the actor's other sessions and tokens end (keep is the one in use).
func (db *DB) ChangePassword(ctx context.Context, actor hotline.Actor, keep int64, current, password string) error {
	var hash string
	err := db.read.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = $1 AND active`, actor.UserID).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return hotline.Errorf(hotline.EUnauthorized, "登录已失效，请重新登录")
	} else if err != nil {
		return err
	}
	if !CheckPassword(hash, current) {
		return hotline.Invalid("current_password", "当前密码不正确")
	}
	if current == password {
		return hotline.Invalid("password", "新密码不能与当前密码相同")
	}
	u, err := db.FindUserByID(ctx, actor.UserID)
	if err != nil {
		return err
	}
	return db.setPassword(ctx, actor, u, password, false, keep, "user.change_password")
}

func (db *DB) setPassword(ctx context.Context, actor hotline.Actor, u *hotline.User, password string, mustChange bool, keep int64, action string) error {
	hash, err := newPasswordHash(u.Username, password)
	if err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3`, hash, mustChange, u.ID); err != nil {
		return err
	}
	if err := revokeAll(ctx, tx, u.ID, keep); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE username = $1`, u.Username); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, action, userTarget(u), ""); err != nil {
		return err
	}
	tx.changed(Change{UserID: u.ID})
	return tx.Commit()
}

// revokeAll ends every live token of a user but keep (0: none kept).
func revokeAll(ctx context.Context, tx *Tx, userID, keep int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL AND id <> $3`,
		tx.now.UnixMilli(), userID, keep)
	return err
}

func userTarget(u *hotline.User) string { return fmt.Sprintf("user:%d %s", u.ID, u.Username) }

// FindUserByUsername returns a user by login name.
func (db *DB) FindUserByUsername(ctx context.Context, username string) (*hotline.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE username = $1`, username))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hotline.Errorf(hotline.ENotFound, "用户“%s”不存在", username)
	}
	return u, err
}

// SessionUser re-checks a session that is still in use (an open event
// stream): its user as now stored, or EUnauthorized if the session was
// revoked, expired or idle too long, or the user disabled.
func (db *DB) SessionUser(ctx context.Context, sessionID int64) (*hotline.User, error) {
	now := db.Now().UTC()
	var kind string
	var seen int64
	u := &hotline.User{}
	var created int64
	err := db.read.QueryRowContext(ctx, `SELECT t.kind, t.last_seen_at,
		u.id, u.username, u.display_name, u.role, COALESCE(u.unit_id, 0), u.active, u.created_at, u.must_change_password
		FROM tokens t JOIN users u ON u.id = t.user_id
		WHERE t.id = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND u.active`, sessionID, now.UnixMilli()).
		Scan(&kind, &seen, &u.ID, &u.Username, &u.DisplayName, &u.Role, &u.UnitID, &u.Active, &created, &u.MustChangePassword)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hotline.Errorf(hotline.EUnauthorized, "登录已失效，请重新登录")
	} else if err != nil {
		return nil, err
	}
	if kind == KindSession && now.Sub(fromMS(seen)) > SessionIdleTimeout {
		return nil, hotline.Errorf(hotline.EUnauthorized, "长时间未操作，请重新登录")
	}
	u.CreatedAt = fromMS(created)
	return u, nil
}

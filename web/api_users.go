package web

import (
	"net/http"

	"hotline"
	"hotline/sqldb"
)

// Accounts: admins create, disable and enable users, change their role,
// unit or name and reset passwords; everyone changes their own password.

// passwordFree are the routes a user who must change their password may
// still use.
var passwordFree = map[string]bool{"/api/v1/me/password": true, "/me/password": true, "/api/v1/me": true,
	"/api/v1/auth/logout": true, "/logout": true}

func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) {
	if a := actorFrom(r); !a.Role.Has(hotline.PermManageUsers) {
		s.error(w, r, hotline.Errorf(hotline.EForbidden, "%s无权管理用户", a.Role.Label()))
		return
	}
	users, err := s.DB.FindUsers(r.Context())
	s.respond(w, r, http.StatusOK, map[string]any{"items": users}, err)
}

type userInput struct {
	Username    string       `json:"username"`
	DisplayName string       `json:"display_name"`
	Role        hotline.Role `json:"role"`
	UnitID      int64        `json:"unit_id"`
	Password    string       `json:"password"`
}

func (s *Server) handleCreateUser(w http.ResponseWriter, r *http.Request) {
	var in userInput
	if err := decode(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	u := &hotline.User{Username: in.Username, DisplayName: in.DisplayName, Role: in.Role, UnitID: in.UnitID}
	err := s.DB.CreateUser(r.Context(), actorFrom(r), u, in.Password)
	s.respond(w, r, http.StatusCreated, u, err)
}

func (s *Server) handleUpdateUser(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.error(w, r, hotline.Errorf(hotline.ENotFound, "用户不存在"))
		return
	}
	var p sqldb.UserPatch
	if err := decode(r, &p); err != nil {
		s.error(w, r, err)
		return
	}
	u, err := s.DB.UpdateUser(r.Context(), actorFrom(r), id, p)
	s.respond(w, r, http.StatusOK, u, err)
}

func (s *Server) handleResetPassword(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.error(w, r, hotline.Errorf(hotline.ENotFound, "用户不存在"))
		return
	}
	var in struct {
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	err := s.DB.ResetPassword(r.Context(), actorFrom(r), id, in.Password)
	s.respond(w, r, http.StatusOK, map[string]bool{"must_change_password": true}, err)
}

func (s *Server) handleChangePassword(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Current  string `json:"current_password"`
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	err := s.DB.ChangePassword(r.Context(), actorFrom(r), sessionFrom(r).ID, in.Current, in.Password)
	s.respond(w, r, http.StatusOK, map[string]bool{"changed": true}, err)
}

type passwordContent struct {
	Must  bool
	Error string
}

func (s *Server) handlePasswordPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "password", "修改密码", passwordContent{Must: userFrom(r).MustChangePassword})
}

func (s *Server) handlePasswordForm(w http.ResponseWriter, r *http.Request) {
	var err error
	if r.PostFormValue("password") != r.PostFormValue("confirm") {
		err = hotline.Invalid("confirm", "两次输入的新密码不一致")
	} else {
		err = s.DB.ChangePassword(r.Context(), actorFrom(r), sessionFrom(r).ID, r.PostFormValue("current_password"), r.PostFormValue("password"))
	}
	if err != nil {
		s.render(w, r, statusOf[hotline.ErrorCode(err)], "password", "修改密码", passwordContent{Must: userFrom(r).MustChangePassword, Error: errText(r, err)})
		return
	}
	saved(w, r, "/?")
}

func (s *Server) handleAdminUserUpdate(w http.ResponseWriter, r *http.Request) {
	s.adminUserForm(w, r, func(id int64) error {
		role, name := hotline.Role(r.PostFormValue("role")), r.PostFormValue("display_name")
		active := r.PostFormValue("active") == "true"
		unit, _ := parseID(r.PostFormValue("unit_id"))
		_, err := s.DB.UpdateUser(r.Context(), actorFrom(r), id, sqldb.UserPatch{Role: &role, UnitID: &unit, DisplayName: &name, Active: &active})
		return err
	})
}

func (s *Server) handleAdminUserReset(w http.ResponseWriter, r *http.Request) {
	s.adminUserForm(w, r, func(id int64) error {
		return s.DB.ResetPassword(r.Context(), actorFrom(r), id, r.PostFormValue("password"))
	})
}

// adminUserForm is a users-page form on one user ({id}): the change, then
// back to the page — with the error shown there when it fails.
func (s *Server) adminUserForm(w http.ResponseWriter, r *http.Request, change func(id int64) error) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.errorPage(w, r, hotline.Errorf(hotline.ENotFound, "用户不存在"))
		return
	}
	if err := change(id); err != nil {
		s.adminUsers(w, r, statusOf[hotline.ErrorCode(err)], errText(r, err))
		return
	}
	saved(w, r, "/admin/users?")
}

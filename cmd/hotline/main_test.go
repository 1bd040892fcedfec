package main_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// buildBinary compiles the hotline command once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "hotline-bin-")
		if err != nil {
			built.err = err
			return
		}
		built.dir, built.path = dir, filepath.Join(dir, "hotline")
		if out, err := exec.Command("go", "build", "-o", built.path, ".").CombinedOutput(); err != nil {
			built.err = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}

// built is the binary of this test run, removed by TestMain.
var built struct {
	once      sync.Once
	dir, path string
	err       error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

func runCLI(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("hotline %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// startServer starts `hotline serve` and returns its base URL and process.
func startServer(t *testing.T, bin, data string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0")
	return startCmd(t, cmd), cmd
}

// startCmd starts a serve command and waits for it to print its address.
func startCmd(t *testing.T, cmd *exec.Cmd) string {
	t.Helper()
	stdout, _ := cmd.StdoutPipe()
	if cmd.Stderr == nil {
		cmd.Stderr = io.Discard
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	re := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`)
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, stdout)
			return "http://" + m[1]
		}
	}
	t.Fatal("server did not print its address")
	return ""
}

func post(t *testing.T, url, token string, body any) (int, map[string]any) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0, nil
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// TestCrashAfterCreated kills the server with SIGKILL right after it
// answered 201 to a burst of concurrent ticket creations; after a restart
// every acknowledged ticket must be there.
func TestCrashAfterCreated(t *testing.T) {
	bin := buildBinary(t)
	data := t.TempDir()
	csv := filepath.Join(data, "cats.csv")
	os.WriteFile(csv, []byte("一级分类,二级分类,三级分类\n公共事业,供水,停水\n"), 0o600)
	runCLI(t, bin, "keys", "init", "--data", data)
	if out := runCLI(t, bin, "import", "categories", "--data", data, csv); !strings.Contains(out, "已导入 3 条") {
		t.Fatalf("import: %s", out)
	}
	runCLI(t, bin, "user", "add", "--data", data, "--username", "agent", "--role", "call_agent", "--password", "hotline12345")
	base, cmd := startServer(t, bin, data)
	_, login := post(t, base+"/api/v1/auth/login", "", map[string]string{"username": "agent", "password": "hotline12345"})
	token, _ := login["token"].(string)
	if token == "" {
		t.Fatalf("login: %v", login)
	}
	var mu sync.Mutex
	var numbers []string
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			status, tk := post(t, base+"/api/v1/tickets", token, map[string]any{"channel": "phone", "appeal_kind": "help",
				"category_id": 3, "urgency": "normal", "title": fmt.Sprintf("停水%d", i), "content": "停水",
				"requester": map[string]any{"name": "王五", "phone": "13912345678"}, "location": map[string]any{"address": "凤凰街"}})
			if status == 201 {
				mu.Lock()
				numbers = append(numbers, tk["number"].(string))
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if len(numbers) != 40 {
		t.Fatalf("%d of 40 creations answered 201", len(numbers))
	}
	base, _ = startServer(t, bin, data)
	_, login = post(t, base+"/api/v1/auth/login", "", map[string]string{"username": "agent", "password": "hotline12345"})
	req, _ := http.NewRequest("GET", base+"/api/v1/tickets?page_size=100", nil)
	req.Header.Set("Authorization", "Bearer "+login["token"].(string))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct {
		Items []struct{ Number string }
		Total int
	}
	json.NewDecoder(resp.Body).Decode(&list)
	have := map[string]bool{}
	for _, it := range list.Items {
		have[it.Number] = true
	}
	for _, n := range numbers {
		if !have[n] {
			t.Errorf("ticket %s was acknowledged with 201 but lost in the crash", n)
		}
	}
	if list.Total != 40 {
		t.Errorf("after restart %d tickets, want 40", list.Total)
	}
}

func TestHelp(t *testing.T) {
	bin := buildBinary(t)
	for _, args := range [][]string{{"serve", "--help"}, {"migrate", "--help"}, {"user", "add", "--help"}, {"user", "list", "--help"}, {"import", "units", "--help"}} {
		out := runCLI(t, bin, args...) // exits 0
		if !strings.Contains(string(out), "--data") && !strings.Contains(string(out), "-data") {
			t.Errorf("hotline %s: no option list:\n%s", strings.Join(args, " "), out)
		}
	}
	out := runCLI(t, bin, "--help")
	if !strings.Contains(out, "hotline serve") {
		t.Errorf("usage: %s", out)
	}
}

package main_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDispatchCLI trains, evaluates and predicts with a small data set of
// our own, through the binary.
func TestDispatchCLI(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "train.jsonl")
	var lines []string
	for label, texts := range map[string][]string{
		"供水": {"小区停水三天", "自来水水压低", "水管爆裂漏水", "自来水发黄", "停水没有通知", "水表计量不准"},
		"供电": {"小区停电一天", "电压不稳烧电器", "电费太高", "电线老化冒火花", "停电没有通知", "电表走得快"},
		"教育": {"学位分配不合理", "学校乱收费", "幼儿园入园难", "老师有偿补课", "招生划片不公开", "校车安全隐患"},
	} {
		for _, tx := range texts {
			b, _ := json.Marshal(map[string]string{"text": tx, "label": label})
			lines = append(lines, string(b))
		}
	}
	os.WriteFile(data, []byte(strings.Join(lines, "\n")+"\n"), 0o600)
	model := filepath.Join(dir, "m.model")
	if out := runCLI(t, bin, "dispatch", "train", "--data", data, "--out", model); !strings.Contains(out, "已训练：18 条，3 类") {
		t.Fatalf("train: %s", out)
	}
	out := strings.TrimSpace(runCLI(t, bin, "dispatch", "eval", "--model", model, "--data", data))
	last := out[strings.LastIndex(out, "\n")+1:]
	if !regexp.MustCompile(`^macro_f1=[01]\.\d{4}$`).MatchString(last) {
		t.Errorf("eval's last line %q", last)
	}
	cmd := exec.Command(bin, "dispatch", "predict", "--model", model)
	cmd.Stdin = strings.NewReader("家里停水了\n\n小学学位\n")
	pred, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(string(pred)), "\n")
	if len(rows) != 2 || !strings.HasPrefix(rows[0], "供水\t") || !strings.HasPrefix(rows[1], "教育\t") || len(strings.Split(rows[0], "\t")) != 6 {
		t.Errorf("predict output:\n%s", pred)
	}
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(`{"text":"x"}`+"\n"), 0o600)
	if out, err := exec.Command(bin, "dispatch", "train", "--data", bad, "--out", model).CombinedOutput(); err == nil || !strings.Contains(string(out), "第 1 行") {
		t.Errorf("a line without label: %v %s", err, out)
	}
}

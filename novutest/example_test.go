package novutest_test

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/novugen/novugen/novutest"
)

func ExampleNewServer() {
	srv := novutest.NewServer(novutest.Options{Seed: 1})
	defer srv.Close()

	body := `{"workflowId": "order-shipped", "name": "Order shipped", "steps": [
		{"stepId": "sms", "name": "SMS", "type": "sms", "controlValues": {"body": "Shipped"}}]}`
	req, _ := http.NewRequest("POST", srv.URL()+"/v2/workflows", strings.NewReader(body))
	req.Header.Set("Authorization", "ApiKey "+srv.Key("Development"))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()

	w, _ := srv.Workflow("Development", "order-shipped")
	fmt.Println(resp.StatusCode, w.WorkflowID, w.Origin, w.Active, w.Status, w.Steps[0].StepID)
	fmt.Println(srv.Counts().Writes(), "write")
	// Output:
	// 201 order-shipped novu-cloud true ACTIVE sms
	// 1 write
}

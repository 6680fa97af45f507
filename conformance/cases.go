package conformance

import "github.com/corskit/corskit/core"

// Cases returns the conformance table. Each call returns a fresh copy, so
// callers may modify it.
func Cases() []Case {
	var cases []Case
	for _, family := range [][]Case{
		classificationCases(),
	} {
		cases = append(cases, family...)
	}
	return cases
}

// Policies shared by many rows.
var (
	allowList = core.Config{
		Origins:     []string{"https://app.example.com", "https://mobile.example.com", "https://tablet.example.com"},
		Credentials: true,
		Methods:     []string{"PUT", "DELETE"},
		Headers:     []string{"Content-Type", "X-Requested-With"},
	}
)

func classificationCases() []Case {
	return []Case{
		{
			Name: "classification/no Origin: handler runs untouched but for Vary", Rule: 1,
			Config:  allowList,
			Request: Request{Method: "GET"},
			Status:  200, Handler: true, Vary: []string{"Origin"},
			Absent: []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials"},
		},
		{
			Name: "classification/OPTIONS without Access-Control-Request-Method is an actual request", Rule: 1,
			Config:  allowList,
			App:     &App{Routes: []Route{{Method: "OPTIONS", Path: "/posts"}}},
			Request: Request{Method: "OPTIONS", Header: []string{"Origin", "https://app.example.com"}},
			Status:  200, Handler: true,
			Want: map[string]string{"Access-Control-Allow-Origin": "https://app.example.com"},
		},
	}
}

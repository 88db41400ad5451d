package notify

import (
	"encoding/json"
	"fmt"
)

// MaxRecipients is how many recipients one event may name (the "to" of
// TriggerEventRequestDto: "Maximum number of recipients can be 100").
const MaxRecipients = 100

// Recipient is who an event goes to: a subscriber by id, a subscriber with
// its details (created or updated on the way), a topic, or a list of
// those. Make one with SubscriberID, NewSubscriber, Topic or Recipients.
type Recipient struct {
	wire any // a string, *Subscriber, topic, or []any
	n    int // recipients named
	err  error
}

// Subscriber is SubscriberPayloadDto: a subscriber Novu creates or updates
// as it delivers.
type Subscriber struct {
	SubscriberID string         `json:"subscriberId"`
	FirstName    string         `json:"firstName,omitempty"`
	LastName     string         `json:"lastName,omitempty"`
	Email        string         `json:"email,omitempty"`
	Phone        string         `json:"phone,omitempty"`
	Avatar       string         `json:"avatar,omitempty"`
	Locale       string         `json:"locale,omitempty"`
	Timezone     string         `json:"timezone,omitempty"`
	Data         map[string]any `json:"data,omitempty"`
}

type topic struct {
	TopicKey string   `json:"topicKey"`
	Type     string   `json:"type"`
	Exclude  []string `json:"exclude,omitempty"`
}

// SubscriberID is the subscriber with this id in your systems.
func SubscriberID(id string) Recipient {
	if id == "" {
		return Recipient{err: fmt.Errorf("empty subscriber id")}
	}
	return Recipient{wire: id, n: 1}
}

// NewSubscriber is a subscriber with its details.
func NewSubscriber(s Subscriber) Recipient {
	if s.SubscriberID == "" {
		return Recipient{err: fmt.Errorf("subscriber without subscriberId")}
	}
	return Recipient{wire: &s, n: 1}
}

// Topic is every subscriber of the topic, except the subscriber ids in
// exclude.
func Topic(key string, exclude ...string) Recipient {
	if key == "" {
		return Recipient{err: fmt.Errorf("empty topic key")}
	}
	return Recipient{wire: topic{TopicKey: key, Type: "Topic", Exclude: exclude}, n: 1}
}

// Recipients is a list of recipients, at most MaxRecipients in all.
func Recipients(rs ...Recipient) Recipient {
	list := make([]any, 0, len(rs))
	for i, r := range rs {
		if err := r.check(); err != nil {
			return Recipient{err: fmt.Errorf("recipient %d: %w", i, err)}
		}
		switch w := r.wire.(type) {
		case []any:
			list = append(list, w...)
		default:
			list = append(list, w)
		}
	}
	if len(list) == 0 {
		return Recipient{err: fmt.Errorf("no recipients")}
	}
	if len(list) > MaxRecipients {
		return Recipient{err: fmt.Errorf("%d recipients, more than Novu's %d per event; send several events (SendAll)", len(list), MaxRecipients)}
	}
	return Recipient{wire: list, n: len(list)}
}

func (r Recipient) check() error {
	if r.err != nil {
		return r.err
	}
	if r.wire == nil {
		return fmt.Errorf("no recipient (the zero Recipient); use SubscriberID, NewSubscriber, Topic or Recipients")
	}
	return nil
}

// MarshalJSON is the "to" Novu receives.
func (r Recipient) MarshalJSON() ([]byte, error) {
	if err := r.check(); err != nil {
		return nil, err
	}
	return json.Marshal(r.wire)
}

package workflows

import "github.com/novugen/novugen/dsl"

// OrderShippedPayload is sent by the fulfilment service when an order leaves
// the warehouse.
type OrderShippedPayload struct {
	OrderID string `json:"orderId"`
	// DeliveryMethod is "courier" for delivery to the customer's address or
	// "pickup" for collection in a store.
	DeliveryMethod string      `json:"deliveryMethod"`
	Shipment       Shipment    `json:"shipment"`
	Items          []OrderItem `json:"items"`
	// GiftMessage is the note printed on the packing slip, when there is one.
	GiftMessage string `json:"giftMessage,omitempty"`
}

// Shipment is the carrier's side of an order.
type Shipment struct {
	Carrier        string `json:"carrier"`
	TrackingNumber string `json:"trackingNumber"`
	TrackingURL    string `json:"trackingUrl"`
	// EstimatedDelivery is an ISO 8601 date, when the carrier gave one.
	EstimatedDelivery string `json:"estimatedDelivery,omitempty"`
}

// OrderItem is one line of an order.
type OrderItem struct {
	SKU      string `json:"sku"`
	Name     string `json:"name"`
	Quantity int    `json:"quantity"`
	ImageURL string `json:"imageUrl,omitempty"`
}

// OrderShipped tells a customer their order is on its way: at once in the
// Inbox, and two hours later by email, once the carrier's tracking page
// knows the parcel. Store pickups get no email: the store calls them.
var OrderShipped = dsl.Define[OrderShippedPayload]("order-shipped", dsl.Settings{
	Name:            "Order shipped",
	Description:     "Tells a customer their order has left the warehouse, with tracking details.",
	Tags:            []string{"orders"},
	Active:          dsl.Active,
	Severity:        dsl.SeverityMedium,
	ValidatePayload: true,
	Preferences: dsl.Preferences{
		Workflow: dsl.ChannelPreferences{SMS: dsl.Off, Chat: dsl.Off, Push: dsl.Off},
	},
},
	dsl.InApp("shipped", "Shipped notice", dsl.InAppControls{
		Subject: "Order {{ payload.orderId }} has shipped",
		Body:    "{{ payload.shipment.carrier }} is bringing your order. Tracking number: {{ payload.shipment.trackingNumber }}.",
		PrimaryAction: dsl.Action{
			Label:    "Track package",
			Redirect: dsl.Redirect{URL: "{{ payload.shipment.trackingUrl }}", Target: dsl.TargetBlank},
		},
		Redirect: dsl.Redirect{URL: "/orders/{{ payload.orderId }}"},
	}),
	dsl.Delay("wait-for-carrier", "Wait for the carrier scan", dsl.DelayControls{Amount: 2, Unit: dsl.Hours}),
	dsl.Email("details", "Shipping details", dsl.EmailControls{
		Subject: "Your order {{ payload.orderId }} is on its way",
		Body: `<p>Hi {{ subscriber.firstName }},</p>
<p>Your order {{ payload.orderId }} is on its way with {{ payload.shipment.carrier }}.
{% if payload.shipment.estimatedDelivery %}It should arrive by {{ payload.shipment.estimatedDelivery | date: '%A, %B %-d' }}.{% endif %}</p>
<p><a href="{{ payload.shipment.trackingUrl }}">Track parcel {{ payload.shipment.trackingNumber }}</a></p>
<table>
{% for item in payload.items %}  <tr><td>{{ item.quantity }} &times;</td><td>{{ item.name }}</td><td>{{ item.sku }}</td></tr>
{% endfor %}</table>
{% if payload.giftMessage %}<p>Gift message: <em>{{ payload.giftMessage }}</em></p>{% endif %}`,
		// Pickup orders wait in the store; an email with tracking would
		// confuse. Subscribers without an address have nowhere to send to.
		Skip: dsl.Or(
			dsl.Eq(dsl.Var("payload.deliveryMethod"), "pickup"),
			dsl.Not(dsl.Var("subscriber.email")),
		),
	}),
).WithExamples(
	dsl.Example[OrderShippedPayload]{Name: "courier", Payload: OrderShippedPayload{
		OrderID:        "A-1042",
		DeliveryMethod: "courier",
		Shipment: Shipment{
			Carrier:           "DHL",
			TrackingNumber:    "JD014600006281230023",
			TrackingURL:       "https://www.dhl.com/track?id=JD014600006281230023",
			EstimatedDelivery: "2026-07-24",
		},
		Items: []OrderItem{
			{SKU: "MUG-01", Name: "Enamel mug", Quantity: 2, ImageURL: "https://shop.example.com/img/mug-01.png"},
			{SKU: "TEA-12", Name: "Green tea, 12 bags", Quantity: 1},
		},
		GiftMessage: "Happy birthday!",
	}},
	dsl.Example[OrderShippedPayload]{Name: "pickup", Payload: OrderShippedPayload{
		OrderID:        "A-1043",
		DeliveryMethod: "pickup",
		Shipment:       Shipment{Carrier: "Store", TrackingNumber: "S-77", TrackingURL: "https://shop.example.com/pickup/S-77"},
		Items:          []OrderItem{{SKU: "LAMP-3", Name: "Desk lamp", Quantity: 1}},
	}},
)

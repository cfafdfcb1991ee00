"""Test oracle: the event data set as CPython itself generates it (see shared specs/events.md).

Usage: gen_events.py [SEED [EVENTS [USERS]]] > FILE
"""
import datetime
import json
import random
import sys

EVENT_TYPES = ["page_view", "click", "purchase", "signup", "logout", "search",
               "add_to_cart", "remove_from_cart", "checkout_start", "error"]
PAGES = ["/home", "/products", "/products/123", "/cart", "/checkout", "/account", "/search",
         "/about", "/contact", "/blog"]
TERMS = ["python", "laptop", "headphones", "keyboard", "monitor", "mouse", "charger", "backpack",
         "shoes", "coffee"]
START = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)


def generate(seed=42, events=100_000, users=5_000):
    rng = random.Random(seed)
    out = []
    for _ in range(events):
        user_id = rng.randint(1, users)
        event_type = rng.choice(EVENT_TYPES)
        ts = START + datetime.timedelta(seconds=rng.randint(0, 31_535_999))
        page = rng.choice(PAGES)
        meta = {"page": page}
        if event_type == "purchase":
            meta["amount"] = round(rng.uniform(1.0, 500.0), 2)
            meta["currency"] = "USD"
            meta["item_count"] = rng.randint(1, 10)
        elif event_type == "search":
            meta["query"] = rng.choice(TERMS)
            meta["results_count"] = rng.randint(0, 200)
        elif event_type == "click":
            meta["element_id"] = f"btn-{rng.randint(1, 50)}"
        elif event_type == "error":
            meta["error_code"] = rng.choice([400, 404, 500, 502, 503])
            meta["message"] = f"Error on {page}"
        elif event_type == "add_to_cart":
            meta["product_id"] = rng.randint(1000, 9999)
            meta["quantity"] = rng.randint(1, 5)
            meta["price"] = round(rng.uniform(5.0, 300.0), 2)
        out.append({"user_id": user_id, "event_type": event_type, "timestamp": ts.isoformat(),
                    "metadata": meta})
    return json.dumps(out)


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:4]]
    sys.stdout.write(generate(*args))

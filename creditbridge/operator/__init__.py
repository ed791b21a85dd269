"""The exchange operator's side: score disputes to answer and the alerts that announce them."""

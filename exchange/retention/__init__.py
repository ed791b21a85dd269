"""Retention: negative data purged and its data key shredded when the law says it must go."""

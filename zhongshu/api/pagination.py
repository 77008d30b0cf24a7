from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "size"
    max_page_size = 200
    invalid_page_message = "页码无效。"

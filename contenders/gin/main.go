// The Gin contender of `ladder http`: the four benchmark endpoints, served on 127.0.0.1:$PORT with
// GOMAXPROCS=$WORKERS. Responses match ladder's own server (src/http/bench_app.c) byte for byte.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/go-playground/validator/v10"
)

const (
	errName = "name must be a non-empty string"
	errAge  = "age must be an integer between 0 and 150"
)

type message struct {
	Message string `json:"message"`
}

type user struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Pointers tell a missing field from a zero value; the tags are the contract's rules.
type validateRequest struct {
	Name *string `json:"name" binding:"required,min=1"`
	Age  *int    `json:"age" binding:"required,min=0,max=150"`
}

type validateResponse struct {
	Name  string `json:"name"`
	Age   int    `json:"age"`
	Valid bool   `json:"valid"`
}

type errorBody struct {
	Error string `json:"error"`
}

// bindError turns a binding failure into the contract's message; name is checked before age.
func bindError(err error, req *validateRequest) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var verrs validator.ValidationErrors
	switch {
	case errors.As(err, &verrs) && len(verrs) > 0:
		if verrs[0].Field() == "Name" {
			return errName
		}
		return errAge
	case errors.As(err, &typ):
		if typ.Field == "" {
			return "body must be a JSON object"
		}
		// decoding goes on past a type error, so a well-typed name is already in req
		if req.Name == nil || *req.Name == "" || typ.Field == "name" {
			return errName
		}
		return errAge
	case errors.As(err, &syntax):
		return "body is not valid JSON"
	default:
		return "body is not valid JSON"
	}
}

func newRouter() *gin.Engine {
	r := gin.New()
	r.GET("/plaintext", func(c *gin.Context) {
		c.String(http.StatusOK, "Hello, World!")
	})
	r.GET("/json", func(c *gin.Context) {
		c.JSON(http.StatusOK, message{Message: "Hello, World!"})
	})
	r.GET("/user/:id", func(c *gin.Context) {
		id := c.Param("id")
		c.JSON(http.StatusOK, user{ID: id, Name: "User " + id})
	})
	r.POST("/validate", func(c *gin.Context) {
		var req validateRequest
		if err := c.ShouldBindJSON(&req); err != nil {
			c.JSON(http.StatusBadRequest, errorBody{Error: bindError(err, &req)})
			return
		}
		c.JSON(http.StatusOK, validateResponse{Name: *req.Name, Age: *req.Age, Valid: true})
	})
	return r
}

func main() {
	gin.SetMode(gin.ReleaseMode)
	if n, err := strconv.Atoi(os.Getenv("WORKERS")); err == nil && n > 0 {
		runtime.GOMAXPROCS(n)
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	srv := &http.Server{Addr: "127.0.0.1:" + port, Handler: newRouter()}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-stop
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}()
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

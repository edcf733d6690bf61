console.log("manifest todo")
